namespace AutoRefiner.Core.Model;

/// <summary>Where a seed came from: every sample carries it into the dataset.</summary>
/// <param name="Repo">
/// The project: owner/name for GitHub or a git checkout with a GitHub-like origin, else the project's folder name, made
/// unique in the run. Never a local path.
/// </param>
/// <param name="Path">Path of the file inside its project, with forward slashes.</param>
/// <param name="Commit">Commit SHA, or empty for a directory that is not a git checkout.</param>
/// <param name="License">SPDX id or expression (<c>MIT</c>, <c>GPL-2.0-or-later</c>), <c>unknown</c> for a licence text not recognised, or empty when there is none.</param>
/// <param name="Url">A link to the file at that commit, or empty.</param>
public sealed record Provenance(string Repo, string Path, string Commit, string License, string Url)
{
    /// <summary><c>start-end</c> (1-based lines) of the seed in its file, or empty.</summary>
    public string Lines { get; init; } = "";

    /// <summary>Where <see cref="License"/> was read: <c>file</c> (the file's own header), <c>project</c> (a licence file above it), or empty.</summary>
    public string LicenseOrigin { get; init; } = "";

    /// <summary>The project's version as a .csproj, .props or .nuspec file states it, or empty.</summary>
    public string Version { get; init; } = "";

    /// <summary>
    /// The notices the licence asks to keep with the code: the copyright lines of the file's header or of the project's
    /// licence file, and the project's NOTICE file; empty when there are none.
    /// </summary>
    public string Notice { get; init; } = "";
}
