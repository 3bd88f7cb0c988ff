using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace AutoRefiner.Cli.Commands;

/// <summary>Options of <c>autorefiner push</c>.</summary>
internal sealed class PushSettings : CommandSettings
{
    /// <summary><c>--repo</c>.</summary>
    [CommandOption("--repo <OWNER/NAME>")]
    [Description("The Hub dataset repository. Default: the config's hub.repo.")]
    public string? Repo { get; init; }

    /// <summary><c>--out</c>.</summary>
    [CommandOption("--out <DIR>")]
    [Description("The output folder to upload. Default: the config's export.out (out/).")]
    public string? Out { get; init; }

    /// <summary><c>--config</c>.</summary>
    [CommandOption("--config <FILE>")]
    [Description("Configuration file. Default: ./harvest.yml when present.")]
    public string? Config { get; init; }

    /// <summary><c>--private</c>.</summary>
    [CommandOption("--private")]
    [Description("Create the repository private (when it does not exist). Default: the config's hub.private.")]
    public bool Private { get; init; }

    /// <summary><c>--revision</c>.</summary>
    [CommandOption("--revision <BRANCH>")]
    [Description("The branch to commit to. Default: main.")]
    public string? Revision { get; init; }

    /// <summary><c>--create-pr</c>.</summary>
    [CommandOption("--create-pr")]
    [Description("Open a pull request with the changes instead of committing to the branch.")]
    public bool CreatePr { get; init; }

    /// <summary><c>--message</c>.</summary>
    [CommandOption("--message <TEXT>")]
    [Description("Commit message. Default: 'Update dataset (autorefiner <version>)'.")]
    public string? Message { get; init; }

    /// <summary><c>--include-rejected</c>.</summary>
    [CommandOption("--include-rejected")]
    [Description("Upload rejected.jsonl too.")]
    public bool IncludeRejected { get; init; }

    /// <inheritdoc />
    public override ValidationResult Validate()
    {
        const string Missing = "__default_command";
        foreach (var (option, value) in new[] { ("--repo", Repo), ("--out", Out), ("--config", Config), ("--revision", Revision), ("--message", Message) })
        {
            if (value == Missing)
            {
                return ValidationResult.Error($"{option} needs a value");
            }

            if (value is not null && string.IsNullOrWhiteSpace(value))
            {
                return ValidationResult.Error($"{option} is empty");
            }
        }

        if (Repo is not null && Core.Config.HubNames.RepoIdProblem(Repo) is { } repoProblem)
        {
            return ValidationResult.Error($"--repo takes a Hub repository id (owner/name), not '{Repo}': {repoProblem}");
        }

        return Revision is not null && Core.Config.HubNames.RevisionProblem(Revision) is { } revisionProblem
            ? ValidationResult.Error($"--revision takes a branch name, not '{Revision}': it {revisionProblem}")
            : ValidationResult.Success();
    }
}
