namespace AutoRefiner.Generator.Instruct;

/// <summary>Answers that hold tests only: a <c>weak-tests</c> repair and the <c>tests</c> task.</summary>
internal static partial class AnswerParser
{
    /// <summary>
    /// The xunit tests of an answer that was asked for a <c>[Tests]</c> section only: that section's code, or the first
    /// code block when the model left the header out. Exactly one of the results is non-null.
    /// </summary>
    public static (string? Tests, string? Error) ParseTests(string answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var text = Think().Replace(answer.ReplaceLineEndings("\n"), "");
        if (string.IsNullOrWhiteSpace(text) || text.TrimStart().StartsWith("<think>", StringComparison.OrdinalIgnoreCase))
        {
            return (null, "the answer has no tests");
        }

        var sections = Split(text);
        var (tests, _, error) = Code(sections.TryGetValue(Section.Tests, out var section) ? section : text, "[Tests]");
        return tests is null ? (null, error) : (tests, null);
    }
}
