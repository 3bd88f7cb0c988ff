namespace AutoRefiner.Core.Model;

/// <summary>Where a seed came from: every sample carries it into the dataset.</summary>
/// <param name="Repo">owner/name for GitHub, else the directory name.</param>
/// <param name="Path">Path of the file inside the repository, with forward slashes.</param>
/// <param name="Commit">Commit SHA, or empty for a directory that is not a git checkout.</param>
/// <param name="License">SPDX id (lower case), or empty when unknown.</param>
/// <param name="Url">A link to the file at that commit, or empty.</param>
public sealed record Provenance(string Repo, string Path, string Commit, string License, string Url);
