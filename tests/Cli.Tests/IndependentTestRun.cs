using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace AutoRefiner.Cli.Tests;

/// <summary>
/// A second opinion on "passes its tests", sharing no code with the product's validator or sandbox: the solution and
/// the xunit tests compiled together against the SDK's reference pack (<see cref="IndependentCompiler"/>), loaded into a
/// collectible context here, and every <c>[Fact]</c> and <c>[Theory]</c>/<c>[InlineData]</c> invoked by reflection.
/// </summary>
internal static class IndependentTestRun
{
    /// <summary>Whether the code compiled and every test passed; the first failure otherwise.</summary>
    public static (bool Passed, string Why) Run(string solution, string tests)
    {
        var options = new CSharpParseOptions(LanguageVersion.Latest);
        var xunit = AppDomain.CurrentDomain.GetAssemblies()
            .Where(a => !a.IsDynamic && a.GetName().Name is { } n && n.StartsWith("xunit", StringComparison.Ordinal) && a.Location.Length > 0)
            .Select(a => MetadataReference.CreateFromFile(a.Location));
        var compilation = CSharpCompilation.Create(
            "IndependentRun" + Guid.NewGuid().ToString("N"),
            [
                CSharpSyntaxTree.ParseText(IndependentCompiler.ImplicitUsings, options),
                CSharpSyntaxTree.ParseText(solution, options),
                CSharpSyntaxTree.ParseText(tests, options),
            ],
            [.. IndependentCompiler.SdkReferences, .. xunit],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        using var stream = new MemoryStream();
        var emitted = compilation.Emit(stream);
        if (!emitted.Success)
        {
            return (false, "compile: " + emitted.Diagnostics.First(d => d.Severity == DiagnosticSeverity.Error));
        }

        var context = new AssemblyLoadContext("independent-run", isCollectible: true);
        try
        {
            stream.Position = 0;
            var assembly = context.LoadFromStream(stream);
            var ran = 0;
            foreach (var type in assembly.GetTypes().Where(t => t.IsPublic && !t.IsAbstract))
            {
                foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static))
                {
                    var attributes = method.GetCustomAttributesData();
                    var cases = attributes.Any(a => a.AttributeType.Name == "FactAttribute")
                        ? [[]]
                        : attributes.Where(a => a.AttributeType.Name == "InlineDataAttribute")
                            .Select(a => ((IEnumerable<CustomAttributeTypedArgument>)a.ConstructorArguments[0].Value!).Select(v => v.Value).ToArray())
                            .ToList();
                    foreach (var arguments in cases)
                    {
                        ran++;
                        try
                        {
                            var instance = method.IsStatic ? null : Activator.CreateInstance(type);
                            method.Invoke(instance, arguments);
                        }
                        catch (TargetInvocationException e)
                        {
                            return (false, $"{type.Name}.{method.Name}: {e.InnerException?.Message}");
                        }
                    }
                }
            }

            return ran > 0 ? (true, "") : (false, "no tests");
        }
        finally
        {
            context.Unload();
        }
    }
}
