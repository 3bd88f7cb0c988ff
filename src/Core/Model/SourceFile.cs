namespace AutoRefiner.Core.Model;

/// <summary>A readable C# file of a source, decoded as UTF-8.</summary>
/// <param name="RelativePath">Path inside its source root, with forward slashes.</param>
/// <param name="Text">The file's text.</param>
/// <param name="Source">The root it belongs to.</param>
public sealed record SourceFile(string RelativePath, string Text, SourceRoot Source)
{
    /// <summary>The file's own provenance (its project, licence, version), when known; else its root's.</summary>
    public Provenance? Origin { get; init; }

    /// <summary>
    /// The preprocessor symbols its project's build defines, so <c>#if</c> is read as that build reads it; null when no
    /// project file says (the symbols of a net10.0 release build are assumed).
    /// </summary>
    public IReadOnlyList<string>? PreprocessorSymbols { get; init; }

    /// <summary>The provenance of this file.</summary>
    public Provenance Provenance => Origin ?? Source.ProvenanceOf(RelativePath);
}

/// <summary>A tree of source code with what is known of its origin.</summary>
/// <param name="RootPath">Absolute path on disk.</param>
/// <param name="Repo">owner/name, or the directory name.</param>
/// <param name="Commit">HEAD commit of a git checkout, or empty.</param>
/// <param name="License">SPDX id of the root's licence (its licence file, or GitHub's), or empty.</param>
/// <param name="WebUrl">https://host/owner/name of the origin remote, or empty.</param>
public sealed record SourceRoot(string RootPath, string Repo, string Commit, string License, string WebUrl)
{
    /// <summary>Provenance of a file of this root.</summary>
    public Provenance ProvenanceOf(string relativePath) => new(
        Repo,
        relativePath,
        Commit,
        License,
        WebUrl.Length > 0 && Commit.Length > 0 ? $"{WebUrl}/blob/{Commit}/{string.Join('/', relativePath.Split('/').Select(Uri.EscapeDataString))}" : "");
}
