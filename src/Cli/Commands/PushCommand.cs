using AutoRefiner.Cli.Runs;
using AutoRefiner.Core;
using AutoRefiner.Exporter.Hub;
using Spectre.Console.Cli;

namespace AutoRefiner.Cli.Commands;

/// <summary><c>autorefiner push</c>: uploads an output folder to a Hugging Face Hub dataset repository.</summary>
internal sealed class PushCommand(CommandEnvironment environment) : AsyncCommand<PushSettings>
{
    /// <inheritdoc />
    public override async Task<int> ExecuteAsync(CommandContext context, PushSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var config = ConfigFiles.Load(settings.Config);
        var repo = settings.Repo ?? config.Hub.Repo
                   ?? throw AutoRefinerException.Usage("give --repo owner/name, or set hub.repo in harvest.yml");
        var outDir = settings.Out is null ? config.ResolvePath(config.Export.Out) : Path.GetFullPath(settings.Out, Directory.GetCurrentDirectory());
        if (!Directory.Exists(outDir))
        {
            throw AutoRefinerException.Usage($"'{settings.Out ?? config.Export.Out}' does not exist: run `autorefiner harvest` first, or give --out");
        }

        var options = new PushOptions(
            repo,
            settings.Private || config.Hub.Private,
            settings.Revision ?? "main",
            settings.CreatePr,
            settings.Message ?? $"Update dataset (autorefiner {AutoRefinerApp.Version})",
            settings.IncludeRejected);
        await new DatasetPublisher(environment).PublishAsync(outDir, options, cancellationToken);
        return ExitCodes.Success;
    }
}
