using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace AutoRefiner.Harvester.Local;

/// <summary>
/// The preprocessor symbols one configuration of a project defines, so <c>#if</c> is read the way its build reads it.
/// The configuration is decided without running MSBuild, the same way for every project:
/// <list type="bullet">
/// <item>global properties <c>Configuration=Release</c> (the build that ships), <c>OS=Windows_NT</c>,
/// <c>MSBuildRuntimeType=Core</c> (<c>dotnet build</c>), and <c>TargetFramework</c> = the project's own
/// <c>TargetFramework</c>, else the entry of its <c>TargetFrameworks</c> closest to .NET 10 (<see cref="Preferred"/>);
/// <c>Platform</c> is the project's default
/// (<c>AnyCPU</c> for SDK-style projects);</item>
/// <item>the nearest <c>Directory.Build.props</c> up to the source root is read first (SDK-style projects, and projects
/// that import <c>Microsoft.Common.props</c>), then the project file, property by property in document order, with
/// <c>Import</c>s of files inside the source root, <c>Choose/When/Otherwise</c>, and conditions as <see cref="MsBuildCondition"/>
/// evaluates them (<c>Exists</c> holds only for paths inside the source root);</item>
/// <item>the symbols are the resulting <c>DefineConstants</c>; an SDK-style project adds what the SDK implies:
/// <c>TRACE</c>, <c>RELEASE</c> and its framework's symbols (<c>NETSTANDARD2_0</c>, <c>NETSTANDARD</c>,
/// <c>NETSTANDARD1_0_OR_GREATER</c>…, <c>NET45</c>, <c>NETFRAMEWORK</c>…, <c>NET8_0</c>, <c>NET</c>, <c>NETCOREAPP</c>…;
/// net10.0's when no framework is named in the tree).
/// An old-style project gets only what it writes itself, as its build did.</item>
/// </list>
/// </summary>
internal static partial class BuildSymbols
{
    private const int MaxImportDepth = 8;

    /// <summary>The symbols of <paramref name="projectFile"/>'s chosen configuration; null when its XML cannot be read.</summary>
    public static IReadOnlyList<string>? Of(string projectFile, string sourceRoot)
    {
        ArgumentNullException.ThrowIfNull(projectFile);
        ArgumentNullException.ThrowIfNull(sourceRoot);
        XDocument project;
        try
        {
            project = XDocument.Load(projectFile);
        }
        catch (Exception e) when (e is IOException or System.Xml.XmlException or UnauthorizedAccessException)
        {
            return null;
        }

        var root = Path.GetFullPath(sourceRoot);
        var sdk = project.Root is { } top && (top.Attribute("Sdk") is not null
            || top.Elements().Any(e => e.Name.LocalName == "Sdk" || e.Name.LocalName == "Import" && e.Attribute("Sdk") is not null));
        var importsCommon = project.Descendants().Any(e => e.Name.LocalName == "Import"
            && ((string?)e.Attribute("Project") ?? "").EndsWith("Microsoft.Common.props", StringComparison.OrdinalIgnoreCase));
        var directoryProps = sdk || importsCommon ? NearestAbove(Path.GetDirectoryName(Path.GetFullPath(projectFile))!, "Directory.Build.props", root) : null;

        // First pass: which framework the chosen inner build targets; second pass: that build's properties.
        var first = Evaluate(projectFile, project, directoryProps, root, sdk, targetFramework: null);
        var framework = first.Get("TargetFramework") is { Length: > 0 } single
            ? single
            : Preferred(first.Get("TargetFrameworks").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        var properties = framework.Length > 0 ? Evaluate(projectFile, project, directoryProps, root, sdk, framework) : first;

        var symbols = new List<string>();
        symbols.AddRange(properties.Get("DefineConstants").Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        if (sdk)
        {
            symbols.Add("TRACE");
            symbols.Add("RELEASE");
            // A framework the project files do not name (set from outside the tree) is read as the one samples compile for.
            symbols.AddRange(FrameworkSymbols(framework.Length > 0 ? framework : "net10.0"));
        }

        return [.. symbols.Where(s => Identifier().IsMatch(s)).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>
    /// What the .NET SDK defines for a target framework moniker (<c>netstandard2.0</c>, <c>net45</c>, <c>net8.0-windows</c>,
    /// <c>netcoreapp3.1</c>); nothing for one it does not know.
    /// </summary>
    public static IReadOnlyList<string> FrameworkSymbols(string framework)
    {
        ArgumentNullException.ThrowIfNull(framework);
        var tfm = framework.Split('-')[0].Trim().ToLowerInvariant();
        var result = new List<string>();
        if (NetStandard().Match(tfm) is { Success: true } standard)
        {
            var version = Version(standard.Groups[1].Value);
            result.Add("NETSTANDARD");
            result.Add("NETSTANDARD" + Underscored(version));
            result.AddRange(StandardVersions.Where(v => v <= version).Select(v => $"NETSTANDARD{Underscored(v)}_OR_GREATER"));
        }
        else if (NetCore().Match(tfm) is { Success: true } core)
        {
            var version = Version(core.Groups[2].Value);
            var modern = core.Groups[1].Value.Length == 0;
            if (!modern && version.Major >= 5 || modern && version.Major < 5)
            {
                return [];
            }

            result.Add("NETCOREAPP");
            result.Add(modern ? "NET" : "NETCOREAPP" + Underscored(version));
            if (modern)
            {
                result.Add("NET" + Underscored(version));
            }

            result.AddRange(CoreVersions.Where(v => v <= version).Select(v => $"{(v.Major >= 5 ? "NET" : "NETCOREAPP")}{Underscored(v)}_OR_GREATER"));
        }
        else if (NetFramework().Match(tfm) is { Success: true } full && FrameworkVersions.Contains(full.Groups[1].Value))
        {
            var digits = full.Groups[1].Value;
            result.Add("NETFRAMEWORK");
            result.Add("NET" + digits);
            result.AddRange(FrameworkVersions.TakeWhile(v => v != digits).Append(digits).Select(v => $"NET{v}_OR_GREATER"));
        }

        return result;
    }

    private static readonly Version[] StandardVersions =
        [.. new[] { "1.0", "1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "2.0", "2.1" }.Select(System.Version.Parse)];

    private static readonly Version[] CoreVersions =
        [.. new[] { "1.0", "1.1", "2.0", "2.1", "2.2", "3.0", "3.1", "5.0", "6.0", "7.0", "8.0", "9.0", "10.0", "11.0" }.Select(System.Version.Parse)];

    /// <summary>.NET Framework monikers in release order, as the SDK names their symbols.</summary>
    private static readonly string[] FrameworkVersions = ["20", "35", "40", "45", "451", "452", "46", "461", "462", "47", "471", "472", "48", "481"];

    private static Version Version(string text) => System.Version.TryParse(text.Contains('.', StringComparison.Ordinal) ? text : text + ".0", out var v) ? v : new Version(0, 0);

    private static string Underscored(Version version) => $"{version.Major}_{Math.Max(0, version.Minor)}";

    private static string? NearestAbove(string directory, string name, string root)
    {
        for (var d = new DirectoryInfo(directory); d is not null && IsInside(d.FullName, root); d = d.Parent)
        {
            var file = Path.Combine(d.FullName, name);
            if (File.Exists(file))
            {
                return file;
            }
        }

        return null;
    }

    private static bool IsInside(string path, string root) =>
        string.Equals(path.TrimEnd(Path.DirectorySeparatorChar), root.TrimEnd(Path.DirectorySeparatorChar), StringComparison.Ordinal)
        || path.StartsWith(root.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    private static Properties Evaluate(string projectFile, XDocument project, string? directoryProps, string root, bool sdk, string? targetFramework)
    {
        var global = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["Configuration"] = "Release",
            ["OS"] = "Windows_NT",
            ["MSBuildRuntimeType"] = "Core",
        };
        if (targetFramework is not null)
        {
            global["TargetFramework"] = targetFramework;
        }

        var properties = new Properties(global, root);
        var projectDir = Path.GetDirectoryName(Path.GetFullPath(projectFile))!;
        properties.Set("MSBuildProjectDirectory", projectDir);
        properties.Set("MSBuildProjectFullPath", Path.GetFullPath(projectFile));
        properties.Set("MSBuildProjectName", Path.GetFileNameWithoutExtension(projectFile));
        properties.Set("MSBuildProjectFile", Path.GetFileName(projectFile));
        if (sdk)
        {
            properties.Set("Platform", "AnyCPU");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        if (directoryProps is not null)
        {
            properties.Import(directoryProps, seen, 0);
        }

        properties.Walk(project.Root!, Path.GetFullPath(projectFile), seen, 0);
        return properties;
    }

    /// <summary>
    /// Of a project's <c>TargetFrameworks</c>, the one closest to what the rows state (C# on .NET 10) and what they are
    /// compiled against (.NET 10's reference assemblies): the newest <c>netX.Y</c> (.NET 5 and later) up to 10, then a
    /// newer one, then the newest <c>netcoreapp</c>, then the newest <c>netstandard</c>, else the first entry. Serilog
    /// lists <c>net471;net462</c> first on Windows; its <c>net10.0</c> build is the one whose code a row should show.
    /// </summary>
    internal static string Preferred(IReadOnlyList<string> frameworks)
    {
        var best = "";
        var bestKey = (Tier: -1, Major: 0, Minor: 0);
        foreach (var moniker in frameworks)
        {
            var m = FrameworkMoniker().Match(moniker);
            var key = !m.Success ? (0, 0, 0) : ParseKey(m);
            if (key.CompareTo(bestKey) > 0)
            {
                (best, bestKey) = (moniker, key);
            }
        }

        return best;

        static (int Tier, int Major, int Minor) ParseKey(System.Text.RegularExpressions.Match m)
        {
            var major = int.Parse(m.Groups["major"].Value, System.Globalization.CultureInfo.InvariantCulture);
            var minor = m.Groups["minor"].Success ? int.Parse(m.Groups["minor"].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
            return m.Groups["kind"].Value switch
            {
                "net" when m.Groups["minor"].Success && major >= 5 => (major <= 10 ? 5 : 4, major <= 10 ? major : -major, minor),
                "netcoreapp" => (3, major, minor),
                "netstandard" => (2, major, minor),
                _ => (1, 0, 0),
            };
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^(?<kind>net|netcoreapp|netstandard)(?<major>\d+)(\.(?<minor>\d+))?(-.+)?$", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex FrameworkMoniker();

    /// <summary>Property values as MSBuild evaluates them in its first pass; global ones cannot be overwritten.</summary>
    private sealed class Properties(Dictionary<string, string> global, string root)
    {
        private readonly Dictionary<string, string> _values = new(StringComparer.OrdinalIgnoreCase);

        public string Get(string name) =>
            global.TryGetValue(name, out var g) ? g : _values.GetValueOrDefault(name) ?? "";

        public void Set(string name, string value)
        {
            if (!global.ContainsKey(name))
            {
                _values[name] = value;
            }
        }

        public void Import(string file, HashSet<string> seen, int depth)
        {
            if (depth > MaxImportDepth || !seen.Add(file))
            {
                return;
            }

            try
            {
                Walk(XDocument.Load(file).Root!, file, seen, depth);
            }
            catch (Exception e) when (e is IOException or System.Xml.XmlException or UnauthorizedAccessException)
            {
                // An unreadable import contributes nothing, as if it were absent.
            }
        }

        public void Walk(XElement element, string file, HashSet<string> seen, int depth)
        {
            var directory = Path.GetDirectoryName(file)!;
            var previous = (Get("MSBuildThisFileDirectory"), Get("MSBuildThisFileFullPath"));
            Set("MSBuildThisFileDirectory", directory + Path.DirectorySeparatorChar);
            Set("MSBuildThisFileFullPath", file);
            foreach (var child in element.Elements())
            {
                if (!Holds(child, directory))
                {
                    continue;
                }

                switch (child.Name.LocalName)
                {
                    case "PropertyGroup":
                        foreach (var property in child.Elements().Where(p => Holds(p, directory)))
                        {
                            Set(property.Name.LocalName, Expand(property.Value.Trim()));
                        }

                        break;
                    case "ImportGroup":
                        Walk(child, file, seen, depth);
                        break;
                    case "Choose":
                        var branch = child.Elements().FirstOrDefault(w => w.Name.LocalName == "When" && Holds(w, directory))
                            ?? child.Elements().FirstOrDefault(w => w.Name.LocalName == "Otherwise");
                        if (branch is not null)
                        {
                            Walk(branch, file, seen, depth);
                        }

                        break;
                    case "Import" when child.Attribute("Sdk") is null && ImportPath(child, directory) is { } path:
                        Import(path, seen, depth + 1);
                        Set("MSBuildThisFileDirectory", directory + Path.DirectorySeparatorChar);
                        Set("MSBuildThisFileFullPath", file);
                        break;
                }
            }

            Set("MSBuildThisFileDirectory", previous.Item1);
            Set("MSBuildThisFileFullPath", previous.Item2);
        }

        private bool Holds(XElement element, string directory) =>
            MsBuildCondition.Holds((string?)element.Attribute("Condition"), Get, path => ExistsInRoot(path, directory));

        private string Expand(string text)
        {
            // The one property function imports are commonly written with: the file of that name in a folder above.
            text = FileAbove().Replace(text, m => FindAbove(m.Groups["name"].Value, Expand(m.Groups["start"].Value)) ?? "");
            return MsBuildCondition.Expand(text, Get);
        }

        private string? FindAbove(string name, string start)
        {
            var from = start.Length == 0 ? Get("MSBuildThisFileDirectory") : start;
            return NearestAbove(Full(from, Get("MSBuildThisFileDirectory")), name, root);
        }

        private string? ImportPath(XElement import, string directory)
        {
            var path = Full(Expand((string?)import.Attribute("Project") ?? ""), directory);
            return path.Length > 0 && IsInside(path, root) && File.Exists(path) ? path : null;
        }

        private bool ExistsInRoot(string path, string directory)
        {
            var full = Full(path, directory);
            return full.Length > 0 && IsInside(full, root) && (File.Exists(full) || Directory.Exists(full));
        }

        private static string Full(string path, string directory)
        {
            var trimmed = path.Trim().Replace('\\', '/');
            if (trimmed.Length == 0)
            {
                return "";
            }

            try
            {
                return Path.GetFullPath(trimmed, directory).TrimEnd('/');
            }
            catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
            {
                return "";
            }
        }
    }

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex Identifier();

    [GeneratedRegex(@"^netstandard(\d+(?:\.\d+)?)$")]
    private static partial Regex NetStandard();

    [GeneratedRegex(@"^net(coreapp)?(\d+\.\d+)$")]
    private static partial Regex NetCore();

    [GeneratedRegex(@"^net(\d{2,3})$")]
    private static partial Regex NetFramework();

    [GeneratedRegex(@"\$\(\[MSBuild\]::GetPathOfFileAbove\(\s*'(?<name>[^']+)'\s*(?:,\s*'(?<start>[^']*)'\s*)?\)\)", RegexOptions.IgnoreCase)]
    private static partial Regex FileAbove();
}
