using System.Collections.Concurrent;
using AutoRefiner.Core.Pipeline;

namespace AutoRefiner.Validator;

/// <summary>
/// Remembers the latest results of a compiler by the exact text compiled: the harvest compiles a seed's context (its
/// unit with the target stubbed) to accept the seed, and the validator compiles the same text again when it judges the
/// row made from it. The compiler's reference set and options are fixed, so a result depends on the text alone and a
/// remembered one is the one compiling again would give. At most <paramref name="capacity"/> results are kept, the oldest
/// dropped first, so memory stays flat however long the run.
/// </summary>
/// <param name="inner">The compiler whose results are remembered.</param>
/// <param name="capacity">Results kept at most.</param>
internal sealed class CompileResultCache(ICodeCompiler inner, int capacity = CompileResultCache.DefaultCapacity) : ICodeCompiler
{
    /// <summary>
    /// Results kept by default: a seed's context is validated soon after it is extracted (the pipeline holds a few seeds
    /// per core in flight), so a thousand covers the gap many times over at a few MB of text.
    /// </summary>
    public const int DefaultCapacity = 1024;

    private readonly ConcurrentDictionary<string, CompileResult> _results = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _order = new();
    private long _hits;

    /// <summary>Compilations answered from a remembered result.</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <inheritdoc />
    public CompileResult Compile(string code, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(code);
        if (_results.TryGetValue(code, out var known))
        {
            Interlocked.Increment(ref _hits);
            return known;
        }

        var result = inner.Compile(code, cancellationToken);
        if (_results.TryAdd(code, result))
        {
            _order.Enqueue(code);
            while (_results.Count > capacity && _order.TryDequeue(out var oldest))
            {
                _results.TryRemove(oldest, out _);
            }
        }

        return result;
    }
}
