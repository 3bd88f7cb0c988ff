using System.Reflection;
using System.Xml.Linq;

namespace AutoRefiner.Cli.Tests;

/// <summary>
/// The projects' dependencies point one way (docs/how-it-works.md, "Projects"): the model and contracts reference no
/// package, and each stage sees only what it uses. Read from the project files and from the built assemblies.
/// </summary>
public sealed class DependencyTests
{
    private static readonly string Root = OwnSourceTests.RepositoryRoot();

    /// <summary>Every project reference the source projects may have; anything else is an arrow in the wrong direction.</summary>
    private static readonly Dictionary<string, string[]> Allowed = new(StringComparer.Ordinal)
    {
        ["AutoRefiner.Core"] = [],
        ["AutoRefiner.Config"] = ["AutoRefiner.Core"],
        ["AutoRefiner.State"] = ["AutoRefiner.Core"],
        ["AutoRefiner.CSharp"] = ["AutoRefiner.Core"],
        ["AutoRefiner.Sandbox"] = [],
        ["AutoRefiner.Harvester"] = ["AutoRefiner.Core", "AutoRefiner.CSharp"],
        ["AutoRefiner.Validator"] = ["AutoRefiner.Core", "AutoRefiner.CSharp", "AutoRefiner.Sandbox"],
        ["AutoRefiner.Generator"] = ["AutoRefiner.Core", "AutoRefiner.CSharp"],
        ["AutoRefiner.Exporter"] = ["AutoRefiner.Core"],
        ["AutoRefiner.Cli"] =
        [
            "AutoRefiner.Core", "AutoRefiner.Config", "AutoRefiner.State", "AutoRefiner.CSharp", "AutoRefiner.Harvester",
            "AutoRefiner.Generator", "AutoRefiner.Validator", "AutoRefiner.Exporter",
        ],
    };

    private static Dictionary<string, XDocument> SourceProjects() =>
        Directory.EnumerateFiles(Path.Combine(Root, "src"), "*.csproj", SearchOption.AllDirectories)
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToDictionary(p => Path.GetFileNameWithoutExtension(p), p => XDocument.Load(p), StringComparer.Ordinal);

    private static IEnumerable<string> Items(XDocument project, string item) =>
        project.Descendants(item).Select(e => (string?)e.Attribute("Include") ?? "").Where(i => i.Length > 0);

    [Fact]
    public void ProjectReferences_AreOnlyTheAllowedOnes_AndFormNoCycle()
    {
        var projects = SourceProjects();
        Assert.Equal(Allowed.Keys.Order(StringComparer.Ordinal), projects.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, project) in projects)
        {
            var references = Items(project, "ProjectReference").Select(r => Path.GetFileNameWithoutExtension(r.Replace('\\', '/'))).ToList();
            var wrong = references.Except(Allowed[name], StringComparer.Ordinal).ToList();
            Assert.True(wrong.Count == 0, $"{name} references {string.Join(", ", wrong)}, an arrow the layering does not allow");
        }

        // Allowed itself is layered: walking it from any project never comes back.
        foreach (var start in Allowed.Keys)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var stack = new Stack<string>(Allowed[start]);
            while (stack.TryPop(out var next))
            {
                Assert.NotEqual(start, next);
                if (seen.Add(next))
                {
                    foreach (var further in Allowed[next])
                    {
                        stack.Push(further);
                    }
                }
            }
        }
    }

    [Fact]
    public void Core_ReferencesNoPackage()
    {
        var core = SourceProjects()["AutoRefiner.Core"];
        Assert.Empty(Items(core, "PackageReference"));

        // And the built assembly: nothing but the framework.
        var references = typeof(Core.Model.Verdict).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();
        Assert.All(references, name => Assert.True(name.StartsWith("System", StringComparison.Ordinal) || name is "netstandard" or "mscorlib",
            $"AutoRefiner.Core references {name}"));
    }

    [Theory]
    [InlineData("YamlDotNet", "AutoRefiner.Config")]
    [InlineData("Microsoft.Data.Sqlite", "AutoRefiner.State")]
    public void EachInfrastructurePackage_IsReferencedByOneProjectOnly(string package, string owner)
    {
        var users = SourceProjects().Where(p => Items(p.Value, "PackageReference").Contains(package, StringComparer.Ordinal)).Select(p => p.Key).ToList();
        Assert.Equal([owner], users);
    }

    [Fact]
    public void Exporter_DoesNotLoadRoslyn_NorTheStateOrConfigProjects()
    {
        var closure = Closure(typeof(Exporter.DatasetFolder).Assembly);

        // The walk must reach the Exporter's real dependencies, or an empty closure would pass.
        Assert.Contains("Parquet", closure);
        Assert.Contains("AutoRefiner.Core", closure);
        Assert.DoesNotContain(closure, name => name.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal));
        Assert.DoesNotContain("AutoRefiner.CSharp", closure);
        Assert.DoesNotContain("AutoRefiner.State", closure);
        Assert.DoesNotContain("AutoRefiner.Config", closure);
        Assert.DoesNotContain("YamlDotNet", closure);
        Assert.DoesNotContain("Microsoft.Data.Sqlite", closure);
    }

    [Fact]
    public void Generator_AndHarvester_DoNotSeeTheConcreteStateStore()
    {
        Assert.DoesNotContain("AutoRefiner.State", Closure(typeof(Generator.Llm.ResponseCache).Assembly));
        Assert.DoesNotContain("AutoRefiner.State", Closure(typeof(Harvester.SourceHarvester).Assembly));
        Assert.DoesNotContain("Microsoft.Data.Sqlite", Closure(typeof(Harvester.SourceHarvester).Assembly));
    }

    [Fact]
    public void TheApplication_ExportsNoType_AndEachStageOnlyWhatOthersUse()
    {
        // Internal by default: the command line is referenced by nothing, so nothing of it is public.
        Assert.Empty(typeof(AutoRefinerApp).Assembly.GetExportedTypes());

        // The harvester's public surface is what the run service wires, not its parsing and extraction machinery.
        var harvester = typeof(Harvester.SourceHarvester).Assembly.GetExportedTypes().Select(t => t.Name).ToList();
        Assert.DoesNotContain("SeedExtractor", harvester);
        Assert.DoesNotContain("DependencyClosure", harvester);
        Assert.DoesNotContain("UnitEmitter", harvester);
        Assert.DoesNotContain("ArchiveExtractor", harvester);
    }

    /// <summary>The names of every non-framework assembly <paramref name="assembly"/> references, transitively.</summary>
    private static HashSet<string> Closure(Assembly assembly)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<AssemblyName>(assembly.GetReferencedAssemblies());
        while (stack.TryPop(out var name))
        {
            if (name.Name is null || name.Name.StartsWith("System", StringComparison.Ordinal) || name.Name is "netstandard" or "mscorlib" || !seen.Add(name.Name))
            {
                continue;
            }

            foreach (var next in Assembly.Load(name).GetReferencedAssemblies())
            {
                stack.Push(next);
            }
        }

        return seen;
    }
}
