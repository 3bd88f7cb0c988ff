using System.Globalization;
using System.Text;

namespace AutoRefiner.Bench;

/// <summary>
/// Writes a synthetic multi-project C# tree with an exact number of documented methods, for the memory benchmark.
/// Ten projects (a <c>Common</c> library and modules that reference it), 20 documented methods per file. The methods
/// use what closures must pull in: constants, static readonly fields, private helpers, the file's enum, a nested
/// record struct, instance state, another documented method, a helper type of the referenced project, and
/// <c>System.Text</c> from a <c>&lt;Using&gt;</c> item of Directory.Build.props. Two in ten call a library that is not
/// in the base class library (Newtonsoft.Json, Microsoft.Extensions.Logging) and must be rejected as unresolved, so
/// the expected yield is 80 %.
/// </summary>
internal static class SyntheticTree
{
    /// <summary>Documented methods per file.</summary>
    public const int MethodsPerFile = 20;

    /// <summary>Writes the tree under <paramref name="root"/>; returns (files, projects).</summary>
    public static (int Files, int Projects) Write(string root, int methods)
    {
        var files = (methods + MethodsPerFile - 1) / MethodsPerFile;
        var projects = Math.Clamp(files, 1, 10);
        var perProject = (files + projects - 1) / projects;
        File.WriteAllText(Path.Combine(root, "Directory.Build.props"), """
            <Project>
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
              </PropertyGroup>
              <ItemGroup>
                <Using Include="System.Text" />
              </ItemGroup>
            </Project>
            """);

        var commonFiles = Math.Min(perProject, files);
        var remaining = methods;
        for (var f = 0; f < files; f++)
        {
            var project = f / perProject;
            var name = project == 0 ? "Common" : $"Module{project:D2}";
            var dir = Path.Combine(root, "src", name, $"Part{f / 25:D3}");
            Directory.CreateDirectory(dir);
            var projectDir = Path.Combine(root, "src", name);
            var csproj = Path.Combine(projectDir, $"{name}.csproj");
            if (!File.Exists(csproj))
            {
                File.WriteAllText(csproj, project == 0
                    ? "<Project Sdk=\"Microsoft.NET.Sdk\" />\n"
                    : """
                      <Project Sdk="Microsoft.NET.Sdk">
                        <ItemGroup>
                          <ProjectReference Include="../Common/Common.csproj" />
                        </ItemGroup>
                      </Project>
                      """);
            }

            var count = Math.Min(MethodsPerFile, remaining);
            remaining -= count;
            var shared = project == 0 ? f : f % commonFiles;
            File.WriteAllText(Path.Combine(dir, $"Worker{f:D5}.cs"), FileText(f, name, count, shared, project == 0));
        }

        return (files, projects);
    }

    private static string FileText(int f, string project, int methods, int shared, bool isCommon)
    {
        var isStatic = f % 2 == 0;
        var s = isStatic ? "static " : "";
        var sb = new StringBuilder();
        sb.Append("using System.Globalization;\n");
        if (!isCommon)
        {
            sb.Append("using Synth.Common;\n");
        }

        sb.Append(Inv($"\nnamespace Synth.{project};\n\n"));
        sb.Append(Inv($"/// <summary>Sizes handled by <see cref=\"Worker{f}\"/>.</summary>\npublic enum Kind{f}\n{{\n    None,\n    Small,\n    Large,\n    Huge,\n}}\n\n"));
        if (isCommon)
        {
            sb.Append(Inv($"/// <summary>Text helpers other projects use.</summary>\npublic static class Shared{f}\n{{\n    public static string Normalize(string text) => text.Trim().ToLowerInvariant().Replace(\"  \", \" \", StringComparison.Ordinal);\n\n    public const int Width = {8 + (f % 9)};\n}}\n\n"));
        }

        sb.Append(Inv($"/// <summary>Operations of part {f}.</summary>\npublic {(isStatic ? "static" : "sealed")} class Worker{f}\n{{\n"));
        sb.Append(Inv($"    private const int Limit = {17 + (f % 50)};\n    private const string Prefix = \"w{f}-\";\n    private static readonly char[] Separators = [',', ';', '|'];\n"));
        if (!isStatic)
        {
            sb.Append("    private readonly List<string> _names = [];\n    private int _total;\n");
        }

        sb.Append("\n    /// <summary>A pair of bounds.</summary>\n    public readonly record struct Bounds(int Low, int High);\n\n");
        sb.Append("    private static int Clamp(int value) => Math.Clamp(value, 0, Limit);\n\n");
        sb.Append(Inv($"    private static string Tag(Kind{f} kind) => Prefix + kind.ToString().ToLowerInvariant();\n"));
        for (var m = 0; m < methods; m++)
        {
            sb.Append('\n').Append(Method(f, m, s, isStatic, shared));
        }

        sb.Append("}\n");
        return sb.ToString();
    }

    private static string Method(int f, int m, string s, bool isStatic, int shared) => (m % 10) switch
    {
        0 => isStatic
            ? Inv($"    /// <summary>Clamps the sum of two values to the part's limit.</summary>\n    /// <param name=\"a\">First value.</param>\n    /// <param name=\"b\">Second value.</param>\n    public static int ClampSum{m}(int a, int b) => Clamp(a + b);\n")
            : Inv($"    /// <summary>Adds a value to the running total, clamped to the limit.</summary>\n    /// <param name=\"value\">The value to add.</param>\n    /// <returns>The new total.</returns>\n    public int Add{m}(int value)\n    {{\n        _total = Clamp(_total + value);\n        return _total;\n    }}\n"),
        1 => Inv($"    /// <summary>Classifies a size against the part's limit.</summary>\n    /// <param name=\"size\">The size.</param>\n    public {s}Kind{f} Classify{m}(int size)\n    {{\n        if (size <= 0)\n        {{\n            return Kind{f}.None;\n        }}\n\n        return size < Limit ? Kind{f}.Small : size < Limit * {m + 2} ? Kind{f}.Large : Kind{f}.Huge;\n    }}\n"),
        2 => Inv($"    /// <summary>Describes a size as a tag.</summary>\n    /// <param name=\"size\">The size.</param>\n    public {s}string Describe{m}(int size) => Tag(Classify{m - 1}(size));\n"),
        3 => Inv($"    /// <summary>Splits text on the part's separators and prefixes the short parts.</summary>\n    /// <param name=\"text\">The text to split.</param>\n    public static IReadOnlyList<string> Split{m}(string text)\n    {{\n        ArgumentNullException.ThrowIfNull(text);\n        var parts = text.Split(Separators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);\n        return [.. parts.Where(p => p.Length <= Limit).Select(p => Prefix + p)];\n    }}\n"),
        4 => Inv($"    /// <summary>Joins clamped values after the prefix.</summary>\n    /// <param name=\"values\">The values.</param>\n    public static string Join{m}(IEnumerable<int> values)\n    {{\n        var sb = new StringBuilder(Prefix);\n        foreach (var v in values)\n        {{\n            if (sb.Length > Prefix.Length)\n            {{\n                sb.Append(Separators[0]);\n            }}\n\n            sb.Append(Clamp(v + {m}).ToString(CultureInfo.InvariantCulture));\n        }}\n\n        return sb.ToString();\n    }}\n"),
        5 => Inv($"    /// <summary>The bounds of a list of values.</summary>\n    /// <param name=\"values\">The values.</param>\n    public static Bounds Span{m}(IReadOnlyList<int> values)\n    {{\n        ArgumentNullException.ThrowIfNull(values);\n        var low = int.MaxValue;\n        var high = int.MinValue;\n        foreach (var v in values)\n        {{\n            low = Math.Min(low, v);\n            high = Math.Max(high, v);\n        }}\n\n        return values.Count == 0 ? new Bounds(0, 0) : new Bounds(low, high);\n    }}\n"),
        6 => Inv($"    /// <summary>Normalises text with the shared helper and pads it.</summary>\n    /// <param name=\"text\">The text.</param>\n    public static string Normalize{m}(string text) => Prefix + Shared{shared}.Normalize(text).PadRight(Shared{shared}.Width);\n"),
        7 => Inv($"    /// <summary>Serialises a value to JSON.</summary>\n    /// <param name=\"value\">The value.</param>\n    public static string Serialize{m}(object value) => Prefix + Newtonsoft.Json.JsonConvert.SerializeObject(value);\n"),
        8 => Inv($"    /// <summary>Logs a message with the part's prefix.</summary>\n    /// <param name=\"logger\">The logger.</param>\n    /// <param name=\"message\">The message.</param>\n    public static void Log{m}(Microsoft.Extensions.Logging.ILogger logger, string message) => Microsoft.Extensions.Logging.LoggerExtensions.LogInformation(logger, Prefix + message);\n"),
        _ => isStatic
            ? Inv($"    /// <summary>The mean of the finite values, or zero.</summary>\n    /// <param name=\"values\">The values.</param>\n    public static double Mean{m}(this IEnumerable<double> values)\n    {{\n        var list = values.Where(double.IsFinite).ToList();\n        return list.Count == 0 ? 0 : list.Sum() / list.Count;\n    }}\n")
            : Inv($"    /// <summary>Remembers a name while there is room.</summary>\n    /// <param name=\"name\">The name.</param>\n    /// <returns>Whether it was kept.</returns>\n    public bool Remember{m}(string name)\n    {{\n        if (_names.Count >= Limit)\n        {{\n            return false;\n        }}\n\n        _names.Add(Prefix + name);\n        return true;\n    }}\n"),
    };

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
