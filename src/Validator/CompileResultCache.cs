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

    /// <summary>Results by text and by what was asked: a full compilation, or only whether it compiles (<see cref="Check"/>).</summary>
    private readonly ConcurrentDictionary<(string Code, bool Checked), CompileResult> _results = new();
    private readonly ConcurrentQueue<(string Code, bool Checked)> _order = new();
    private long _hits;

    /// <summary>Compilations answered from a remembered result.</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <inheritdoc />
    public CompileResult Compile(string code, CancellationToken cancellationToken) => Answer((code, Checked: false), inner.Compile, cancellationToken);

    /// <inheritdoc />
    /// <remarks>
    /// Only a check answers a check: a full compilation fails where a check does, but may place an error inside a doc
    /// comment elsewhere, and a row's detail must not depend on which of the two happened to be remembered.
    /// </remarks>
    public CompileResult Check(string code, CancellationToken cancellationToken) => Answer((code, Checked: true), inner.Check, cancellationToken);

    private CompileResult Answer((string Code, bool Checked) key, Func<string, CancellationToken, CompileResult> compile, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key.Code, "code");
        if (_results.TryGetValue(key, out var known))
        {
            Interlocked.Increment(ref _hits);
            return known;
        }

        return Remember(key, compile(key.Code, cancellationToken));
    }

    private CompileResult Remember((string Code, bool Checked) key, CompileResult result)
    {
        if (_results.TryAdd(key, result))
        {
            _order.Enqueue(key);
            while (_results.Count > capacity && _order.TryDequeue(out var oldest))
            {
                _results.TryRemove(oldest, out _);
            }
        }

        return result;
    }
}
