using System.Reflection;
using System.Runtime.Loader;

namespace AutoRefiner.Sandbox;

/// <summary>
/// The collectible load context one sample runs in. xunit's assertion library is loaded into it too, a fresh copy per
/// sample: its static caches (comparers and property getters by <see cref="Type"/>, kept for the life of the library)
/// fill with the sample's own types, and held by a library in the default context they would keep the sample's
/// assembly loaded forever, which looked exactly like a thread left running.
/// </summary>
internal sealed class SampleLoadContext() : AssemblyLoadContext("generated", isCollectible: true)
{
    /// <summary>Libraries that keep per-type state and so live and die with the sample.</summary>
    private static readonly string[] PerSample = ["xunit.assert"];

    /// <inheritdoc />
    protected override Assembly? Load(AssemblyName assemblyName)
    {
        if (assemblyName.Name is { } name && PerSample.Contains(name, StringComparer.OrdinalIgnoreCase))
        {
            var path = Path.Combine(AppContext.BaseDirectory, name + ".dll");
            if (File.Exists(path))
            {
                return LoadFromAssemblyPath(path);
            }
        }

        // Everything else (the framework, xunit's attributes) is shared with the worker: it holds no per-type state.
        return null;
    }
}
