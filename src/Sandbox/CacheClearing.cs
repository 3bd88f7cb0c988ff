using System.Reflection;
using System.Reflection.Metadata;
using System.Runtime.Loader;

namespace AutoRefiner.Sandbox;

/// <summary>
/// Empties the framework's caches keyed by type (System.Text.Json's contracts, reflection's member caches), which hold
/// a sample's types and so keep its collectible assembly loaded after its tests. The framework declares a handler for
/// each such cache (<see cref="MetadataUpdateHandlerAttribute"/>, called when hot reload changes types); calling them
/// with no types clears everything they cover.
/// </summary>
internal static class CacheClearing
{
    public static void ClearFrameworkCaches()
    {
        foreach (var assembly in AssemblyLoadContext.Default.Assemblies)
        {
            foreach (var handler in assembly.GetCustomAttributes<MetadataUpdateHandlerAttribute>())
            {
                try
                {
                    handler.HandlerType
                        .GetMethod("ClearCache", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static, [typeof(Type[])])
                        ?.Invoke(null, [null]);
                }
                catch (TargetInvocationException)
                {
                    // A cache that cannot be cleared keeps the assembly loaded; the worker is then replaced.
                }
            }
        }
    }
}
