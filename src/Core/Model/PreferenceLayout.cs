using System.Collections;

namespace AutoRefiner.Core.Model;

/// <summary>
/// Preference rows (TRL's preference forms, AutoRefiner's <c>preference</c> config): <c>prompt</c>, <c>chosen</c> and
/// <c>rejected</c>, each either text or a list of role/content messages. The tests each answer is judged with are read
/// from <c>chosen_tests</c> and <c>rejected_tests</c>, else from <c>tests</c>.
/// </summary>
public static class PreferenceLayout
{
    /// <summary>The layout's name in reports.</summary>
    public const string Name = "preference";

    /// <summary>Whether a row's fields are those of a preference row.</summary>
    public static bool Matches(IReadOnlyCollection<string> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        return fields.Contains("prompt") && fields.Contains("chosen") && fields.Contains("rejected");
    }

    /// <summary>The instruction, both answers and their tests; null with a reason when the row lacks one.</summary>
    public static (string Instruction, string Chosen, string ChosenTests, string Rejected, string RejectedTests)? Read(
        IReadOnlyDictionary<string, object?> row, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(row);
        var instruction = Last(row.GetValueOrDefault("prompt"), "user");
        var chosen = Last(row.GetValueOrDefault("chosen"), "assistant");
        var rejected = Last(row.GetValueOrDefault("rejected"), "assistant");
        problem = instruction is null ? "'prompt' holds no user message"
            : chosen is null ? "'chosen' holds no assistant message"
            : rejected is null ? "'rejected' holds no assistant message"
            : null;
        if (problem is not null)
        {
            return null;
        }

        var tests = row.GetValueOrDefault("tests") as string ?? "";
        return (instruction!, chosen!, row.GetValueOrDefault("chosen_tests") as string ?? tests, rejected!, row.GetValueOrDefault("rejected_tests") as string ?? tests);
    }

    /// <summary>Text as it is, or the content of the last message with <paramref name="role"/> in a list of messages.</summary>
    private static string? Last(object? value, string role)
    {
        if (value is string text)
        {
            return text;
        }

        if (value is not IEnumerable items)
        {
            return null;
        }

        string? found = null;
        foreach (var item in items)
        {
            string? Get(string key) => item switch
            {
                IReadOnlyDictionary<string, object?> r => r.GetValueOrDefault(key) as string,
                IDictionary<string, object?> d => d.TryGetValue(key, out var v) ? v as string : null,
                _ => null,
            };
            if (string.Equals(Get("role"), role, StringComparison.OrdinalIgnoreCase) && Get("content") is { } content)
            {
                found = content;
            }
        }

        return found;
    }
}
