using System.Globalization;
using AutoRefiner.Core.Config;

namespace AutoRefiner.Core.Pipeline;

/// <summary>
/// Holds a run to <c>llm.max-cost</c> and <c>llm.max-tokens-total</c>. Before a request is sent, its worst case (the
/// prompt estimate plus <c>llm.max-tokens</c>) is reserved on top of what was billed and what is in flight; a request
/// that could cross a limit is not sent, and from then on none is, so the run ends on what it already has. Requests in
/// flight finish, and what they bill is counted as they answer.
/// </summary>
public sealed class LlmBudget(LlmConfig config, string model, LlmUsage usage)
{
    private readonly Lock _gate = new();
    private long _reservedTokens;
    private double _reservedCost;
    private long _notSent;
    private string? _reached;

    /// <summary>Whether any limit is set.</summary>
    public bool IsLimited => config.MaxCost is not null || config.MaxTokensTotal is not null;

    /// <summary>The limit that stopped the run (<c>llm.max-cost 0.5</c>), or null while none did.</summary>
    public string? Reached
    {
        get
        {
            lock (_gate)
            {
                return _reached;
            }
        }
    }

    /// <summary>Requests not sent because of the budget.</summary>
    public long NotSent => Interlocked.Read(ref _notSent);

    /// <summary>The limits as the configuration names them, for messages.</summary>
    public string Describe() => string.Join(" and ", new[]
    {
        config.MaxCost is { } cost ? string.Create(CultureInfo.InvariantCulture, $"llm.max-cost {cost}") : null,
        config.MaxTokensTotal is { } tokens ? string.Create(CultureInfo.InvariantCulture, $"llm.max-tokens-total {tokens}") : null,
    }.OfType<string>());

    /// <summary>
    /// Reserves a request of about <paramref name="promptTokens"/> prompt tokens; throws <see cref="BudgetReachedException"/>
    /// when it could cross a limit. Release the returned reservation once the request has ended, answered or not.
    /// </summary>
    public Reservation Reserve(long promptTokens)
    {
        var tokens = promptTokens + config.MaxTokens;
        var cost = Pricing.Estimate(config, model, promptTokens, config.MaxTokens) ?? 0;
        lock (_gate)
        {
            var billed = usage.PromptTokens + usage.CompletionTokens;
            var spent = Pricing.Estimate(config, model, usage.PromptTokens, usage.CompletionTokens) ?? 0;
            var over = _reached
                ?? (config.MaxCost is { } maxCost && spent + _reservedCost + cost > maxCost ? string.Create(CultureInfo.InvariantCulture, $"llm.max-cost {maxCost}") : null)
                ?? (config.MaxTokensTotal is { } maxTokens && billed + _reservedTokens + tokens > maxTokens ? string.Create(CultureInfo.InvariantCulture, $"llm.max-tokens-total {maxTokens}") : null);
            if (over is not null)
            {
                _reached = over;
                _notSent++;
                throw new BudgetReachedException(over);
            }

            _reservedTokens += tokens;
            _reservedCost += cost;
            return new Reservation(this, tokens, cost);
        }
    }

    private void Release(long tokens, double cost)
    {
        lock (_gate)
        {
            _reservedTokens -= tokens;
            _reservedCost -= cost;
        }
    }

    /// <summary>A request's worst case, held while it is in flight.</summary>
    public sealed class Reservation : IDisposable
    {
        private readonly LlmBudget _budget;
        private readonly long _tokens;
        private readonly double _cost;
        private int _released;

        internal Reservation(LlmBudget budget, long tokens, double cost) => (_budget, _tokens, _cost) = (budget, tokens, cost);

        /// <inheritdoc />
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                _budget.Release(_tokens, _cost);
            }
        }
    }
}
