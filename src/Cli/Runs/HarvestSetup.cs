using AutoRefiner.Cli.Commands;
using AutoRefiner.Core;
using AutoRefiner.Core.Config;
using AutoRefiner.Core.Pipeline;
using AutoRefiner.Core.Text;
using AutoRefiner.Harvester.Local;

namespace AutoRefiner.Cli.Runs;

/// <summary>
/// A harvest's arguments resolved against its configuration: the effective configuration (language, state and output
/// paths made absolute), the sources, how the manifest names them, and the command line it records.
/// </summary>
/// <param name="Config">The effective configuration.</param>
/// <param name="GivenOut">The output folder as the user gave it, for messages.</param>
/// <param name="Sources">Paths (absolute) and GitHub repositories to harvest.</param>
/// <param name="Query">A GitHub search to harvest as well, or null.</param>
/// <param name="Shard">The part of the repositories to take, or null for all.</param>
/// <param name="ShownSources">The sources as the manifest, card and report name them: projects, never paths of this machine.</param>
/// <param name="CommandLine">The command line that reproduces the run, without secrets or local paths.</param>
internal sealed record HarvestSetup(
    HarvestConfig Config,
    string GivenOut,
    IReadOnlyList<string> Sources,
    string? Query,
    Shard? Shard,
    IReadOnlyList<string> ShownSources,
    string CommandLine)
{
    /// <summary>Resolves <paramref name="arguments"/>; a usage error names the argument or key at fault.</summary>
    public static HarvestSetup Resolve(HarvestArguments arguments, CommandEnvironment environment)
    {
        var config = ConfigFiles.Load(arguments.Config);
        var lang = arguments.Lang ?? config.Lang;
        if (!HarvestConfig.SupportedLanguages.Contains(lang))
        {
            throw AutoRefinerException.Usage(
                $"--lang '{lang}' is not supported; supported languages: {string.Join(", ", HarvestConfig.SupportedLanguages)}");
        }

        var cwd = Directory.GetCurrentDirectory();
        var given = arguments.Sources.Count > 0;

        // A --source that exists here is a path; anything else is left for the harvester to read as owner/name.
        var sources = given
            ? arguments.Sources.Select(s => Path.Exists(Path.GetFullPath(s, cwd)) ? Path.GetFullPath(s, cwd) : s).ToList()
            : [.. config.Sources.Local.Select(config.ResolvePath), .. config.Sources.GitHub.Repos];
        var query = given ? null : config.Sources.GitHub.Query;
        if (sources.Count == 0 && query is null)
        {
            throw AutoRefinerException.Usage(
                "no sources to harvest: give --source <path|owner/name>, or set sources.local, sources.github.repos or sources.github.query in harvest.yml");
        }

        var givenOut = arguments.Out ?? config.Export.Out;
        var outDir = arguments.Out is null ? config.ResolvePath(config.Export.Out) : Path.GetFullPath(arguments.Out, cwd);

        // The output is never the code it is made from: a source folder equal to --out, or inside it, would have its
        // files mixed with the dataset (and uploaded by push), and a later run would read its own output as sources.
        var localSources = (given
            ? arguments.Sources.Select(s => (Given: s, Full: Path.GetFullPath(s, cwd)))
            : config.Sources.Local.Select(s => (Given: s, Full: config.ResolvePath(s)))).ToList();
        foreach (var (source, full) in localSources.Where(s => Directory.Exists(s.Full)))
        {
            var folder = Path.TrimEndingDirectorySeparator(full);
            var outFull = Path.TrimEndingDirectorySeparator(outDir);
            if (folder == outFull || folder.StartsWith(outFull + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                throw AutoRefinerException.Usage(
                    $"--out '{givenOut}' {(folder == outFull ? "is" : "contains")} the source folder '{source}'; give an output folder of its own, outside the sources (e.g. --out ./out next to them)");
            }
        }

        // The manifest, the card and the report name a local source by its project (origin owner/name, else its folder's
        // name), never by a path of this machine: they are published by push.
        var shownSources = (given ? localSources : localSources.Concat(config.Sources.GitHub.Repos.Select(r => (Given: r, Full: ""))))
            .Select(s => s.Full.Length > 0 && Directory.Exists(s.Full) ? ProjectName(s.Full) : Redact.Credentials(s.Given))
            .ToList();
        if (query is not null)
        {
            shownSources.Add($"GitHub search: {query}");
        }

        config = config with
        {
            Lang = lang,
            State = arguments.State is null ? config.ResolvePath(config.State) : Path.GetFullPath(arguments.State, cwd),
            Export = config.Export with { Out = outDir },
        };

        var shard = arguments.Shard is null ? null : Shard.Parse(arguments.Shard, out _);
        var commandLine = "autorefiner " + string.Join(' ', environment.Args.Select(a => Redact.Credentials(ShownPath(a, cwd))));
        return new HarvestSetup(config, givenOut, sources, query, shard, shownSources, commandLine);
    }

    /// <summary>
    /// A path argument as the manifest shows it: relative to the working directory when it is inside it, else only its
    /// last part (<c>…/name</c>): the manifest and the card are published, and a path of this machine says too much.
    /// </summary>
    private static string ShownPath(string arg, string cwd)
    {
        if (!Path.IsPathFullyQualified(arg))
        {
            return arg;
        }

        var relative = Path.GetRelativePath(cwd, arg);
        if (!relative.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathFullyQualified(relative))
        {
            return relative;
        }

        return "…/" + Path.GetFileName(Path.TrimEndingDirectorySeparator(arg));
    }

    /// <summary>The name of a local source's project: its git origin's owner/name, else its folder's name.</summary>
    private static string ProjectName(string directory)
    {
        try
        {
            return SourceRootReader.Read(directory).Repo;
        }
        catch (AutoRefinerException)
        {
            return Path.GetFileName(Path.TrimEndingDirectorySeparator(directory));
        }
    }
}
