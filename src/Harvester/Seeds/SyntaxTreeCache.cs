using System.Collections.Concurrent;
using AutoRefiner.CSharp;
using AutoRefiner.Core.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace AutoRefiner.Harvester.Seeds;

/// <summary>
/// Syntax trees of one harvest of a tree, parsed once and shared by the compilations of every project that takes the
/// file (its own, and each project that references it). A tree is keyed by its file (root and relative path) and by the
/// parse options it was read with: the same file read with another build's preprocessor symbols is another tree, so a
/// tree is shared only between projects whose builds read its <c>#if</c>s alike. Trees are immutable and safe to put in
/// several compilations at once; a project's trees are dropped (<see cref="Release"/>) once no project left needs them.
/// </summary>
internal sealed class SyntaxTreeCache
{
    private readonly ConcurrentDictionary<Key, Lazy<SyntaxTree>> _trees = new();
    private long _parsed;

    /// <summary>Files parsed so far (a file read with two sets of symbols counts twice).</summary>
    public long Parsed => Interlocked.Read(ref _parsed);

    /// <summary>Trees held now.</summary>
    public int Count => _trees.Count;

    /// <summary>The options a file is parsed with: the analysis options with its own project build's symbols.</summary>
    public static CSharpParseOptions OptionsOf(SourceFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        return file.PreprocessorSymbols is { } symbols ? ReferenceSet.HarvestParseOptions.WithPreprocessorSymbols(symbols) : ReferenceSet.HarvestParseOptions;
    }

    /// <summary>The file's tree, parsed now unless a project already parsed it with the same options.</summary>
    public SyntaxTree GetOrParse(SourceFile file, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(file);
        var options = OptionsOf(file);
        var lazy = _trees.GetOrAdd(
            new Key(file.Source.RootPath, file.RelativePath, options),
            _ => new Lazy<SyntaxTree>(() => Parse(file, options, cancellationToken), LazyThreadSafetyMode.ExecutionAndPublication));
        return lazy.Value;
    }

    /// <summary>Drops the trees of these files (all their parse options): no project left needs them.</summary>
    public void Release(string rootPath, IEnumerable<string> relativePaths)
    {
        ArgumentNullException.ThrowIfNull(relativePaths);
        var paths = relativePaths.ToHashSet(StringComparer.Ordinal);
        foreach (var key in _trees.Keys)
        {
            if (string.Equals(key.RootPath, rootPath, StringComparison.Ordinal) && paths.Contains(key.RelativePath))
            {
                _trees.TryRemove(key, out _);
            }
        }
    }

    private SyntaxTree Parse(SourceFile file, CSharpParseOptions options, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _parsed);
        return CSharpSyntaxTree.ParseText(file.Text, options, path: file.RelativePath, cancellationToken: cancellationToken);
    }

    /// <summary>
    /// A file as parsed: <see cref="CSharpParseOptions"/> compare by value (language version, documentation mode,
    /// preprocessor symbols in order), so two projects with the same build symbols share the tree.
    /// </summary>
    private readonly record struct Key(string RootPath, string RelativePath, CSharpParseOptions Options);
}
