using System.Globalization;
using AutoRefiner.Core;
using AutoRefiner.Core.Text;
using AutoRefiner.Exporter.Hub;
using Spectre.Console;

namespace AutoRefiner.Cli.Runs;

/// <summary>Publishes an output folder to a Hugging Face Hub dataset repository: what <c>push</c> does, and how a <c>refresh</c> ends.</summary>
internal sealed class DatasetPublisher(CommandEnvironment environment)
{
    /// <summary>The Hub's address when <c>HF_ENDPOINT</c> is not set.</summary>
    public const string DefaultEndpoint = "https://huggingface.co";

    /// <summary>Uploads <paramref name="outDir"/> with <c>HF_TOKEN</c> to <c>HF_ENDPOINT</c>, reporting on the console.</summary>
    public async Task PublishAsync(string outDir, PushOptions options, CancellationToken cancellationToken)
    {
        var token = Environment.GetEnvironmentVariable("HF_TOKEN");
        if (string.IsNullOrWhiteSpace(token))
        {
            throw AutoRefinerException.Usage("HF_TOKEN is not set: create a token with the write role at https://huggingface.co/settings/tokens and export it");
        }

        if (token.Trim() != token || token.Any(char.IsControl))
        {
            throw AutoRefinerException.Usage("HF_TOKEN holds spaces or control characters (a stray newline?): export the token alone");
        }

        var endpointText = Environment.GetEnvironmentVariable("HF_ENDPOINT") is { Length: > 0 } e ? e : DefaultEndpoint;
        if (!Uri.TryCreate(endpointText, UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("http" or "https"))
        {
            throw AutoRefinerException.Usage("HF_ENDPOINT must be an http(s) URL such as https://huggingface.co");
        }

        using var client = new HubClient(endpoint, token, time: environment.Time);
        var inv = CultureInfo.InvariantCulture;
        environment.Output.WriteLine($"push: {outDir} -> {Core.Text.Redact.Credentials(endpoint.GetLeftPart(UriPartial.Authority))}/datasets/{options.Repo} ({options.Revision}{(options.CreatePr ? ", as a pull request" : "")})");
        PushResult result;
        try
        {
            result = await new HubPusher(client).PushAsync(outDir, options, null, cancellationToken);
        }
        catch (HubException hub)
        {
            throw hub.IsUsage ? AutoRefinerException.Usage(hub.Message) : AutoRefinerException.RunFailed(hub.Message);
        }
        catch (OperationCanceledException cancelled) when (cancellationToken.IsCancellationRequested)
        {
            // Not the harvest's "nothing was written": the push may have been stopped while its commit was on the way.
            throw new CancelledException(
                $"the push to {options.Repo} stopped; the output folder is as it was. If it stopped before the commit was sent, nothing was committed; if during it, the commit may have landed: look at the repository's {(options.CreatePr ? "pull requests" : "history")} before pushing again.",
                cancelled,
                cancellationToken);
        }

        if (result.LeftOut.Count > 0)
        {
            // The user's own files next to the dataset stay on this machine: say which, so nothing is silently missing.
            var names = string.Join(", ", result.LeftOut.Take(5)) + (result.LeftOut.Count > 5 ? $" and {result.LeftOut.Count - 5} more" : "");
            environment.Output.WriteLine($"left out {Words.Count(result.LeftOut.Count, "file")} that manifest.json does not list as written by AutoRefiner: {names}");
        }

        if (result.Created)
        {
            environment.Output.WriteLine($"created the dataset repository {options.Repo} ({(options.Private ? "private" : "public")})");
        }

        if (result.Commit is null)
        {
            environment.Output.WriteLine("nothing to push: the Hub already holds exactly these files");
            return;
        }

        environment.Output.WriteLine(string.Create(inv,
            $"committed {Words.Count(result.Files, "file")} ({Words.Count(result.LfsUploaded, "LFS object")} uploaded, {Words.Count(result.LfsBytes, "byte", format: "N0")}; the Hub had the others){(result.Deleted.Count > 0 ? $", deleted {string.Join(", ", result.Deleted)}" : "")}"));
        environment.Output.WriteLine(result.Commit.PullRequestUrl is { } pr ? $"pull request: {pr}" : $"commit: {result.Commit.CommitUrl}");
    }
}
