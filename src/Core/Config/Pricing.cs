namespace AutoRefiner.Core.Config;

/// <summary>Turns token counts into money with <c>llm.prices</c>.</summary>
public static class Pricing
{
    /// <summary>The cost of the tokens at <paramref name="model"/>'s price, or null when the table does not list it.</summary>
    public static double? Estimate(LlmConfig config, string model, long promptTokens, long completionTokens)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.Prices.TryGetValue(model, out var price)
            ? ((promptTokens * price.Input) + (completionTokens * price.Output)) / 1_000_000
            : null;
    }
}
