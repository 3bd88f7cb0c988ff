using System.Collections;

namespace AutoRefiner.Core.Model;

/// <summary>
/// The common layouts of SFT datasets, and how to read a row of each as an instruction and a response:
/// AutoRefiner's own (<c>instruction</c>, <c>response</c>, <c>tests</c>), chat <c>messages</c> (role/content),
/// ShareGPT <c>conversations</c> (from/value), Alpaca (<c>instruction</c>, <c>input</c>, <c>output</c>) and
/// <c>prompt</c>/<c>completion</c>. A <c>tests</c> field is read in every layout.
/// </summary>
public static class SftLayout
{
    /// <summary>The layouts, by the fields that identify them, in the order they are tried.</summary>
    public static IReadOnlyList<(string Name, string[] Fields)> Known { get; } =
    [
        ("autorefiner", ["instruction", "response"]),
        ("messages", ["messages"]),
        ("conversations", ["conversations"]),
        ("alpaca", ["instruction", "output"]),
        ("prompt-completion", ["prompt", "completion"]),
    ];

    /// <summary>The layout a row's fields match, or null.</summary>
    public static string? Detect(IReadOnlyCollection<string> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        return Known.FirstOrDefault(k => k.Fields.All(fields.Contains)).Name;
    }

    /// <summary>
    /// The row's instruction, response and tests in <paramref name="layout"/>; null with a reason when the row does not
    /// have them (a chat without an assistant turn, a field of the wrong type).
    /// </summary>
    public static (string Instruction, string Response, string Tests)? Read(string layout, IReadOnlyDictionary<string, object?> row, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(row);
        problem = null;
        var tests = Text(row, "tests") ?? "";
        switch (layout)
        {
            case "autorefiner":
                return Pair(Text(row, "instruction"), Text(row, "response"), tests, "instruction", "response", out problem);
            case "alpaca":
                var input = Text(row, "input");
                var instruction = Text(row, "instruction");
                return Pair(string.IsNullOrWhiteSpace(input) ? instruction : $"{instruction}\n\n{input}", Text(row, "output"), tests, "instruction", "output", out problem);
            case "prompt-completion":
                return Pair(Text(row, "prompt"), Text(row, "completion"), tests, "prompt", "completion", out problem);
            case "messages":
            case "conversations":
                var turns = Turns(row.GetValueOrDefault(layout), layout == "messages" ? ("role", "content") : ("from", "value"));
                if (turns is null)
                {
                    problem = $"'{layout}' is not a list of turns";
                    return null;
                }

                var answer = turns.FindLastIndex(t => t.Role is "assistant" or "gpt" or "model");
                var question = answer < 0 ? -1 : turns.FindLastIndex(answer, t => t.Role is "user" or "human");
                if (answer < 0 || question < 0)
                {
                    problem = $"'{layout}' has no user turn followed by an assistant turn";
                    return null;
                }

                return (turns[question].Content, turns[answer].Content, tests);
            default:
                problem = $"unknown layout '{layout}'";
                return null;
        }
    }

    private static (string, string, string)? Pair(string? instruction, string? response, string tests, string instructionField, string responseField, out string? problem)
    {
        problem = instruction is null ? $"'{instructionField}' is missing or not text" : response is null ? $"'{responseField}' is missing or not text" : null;
        return problem is null ? (instruction!, response!, tests) : null;
    }

    private static string? Text(IReadOnlyDictionary<string, object?> row, string field) => row.GetValueOrDefault(field) as string;

    private static List<(string Role, string Content)>? Turns(object? value, (string Role, string Content) names)
    {
        if (value is not IEnumerable items || value is string)
        {
            return null;
        }

        var turns = new List<(string, string)>();
        foreach (var item in items)
        {
            if (item is not IReadOnlyDictionary<string, object?> and not IDictionary<string, object?>)
            {
                return null;
            }

            string? Get(string key) => item switch
            {
                IReadOnlyDictionary<string, object?> r => r.GetValueOrDefault(key) as string,
                IDictionary<string, object?> d => d.TryGetValue(key, out var v) ? v as string : null,
                _ => null,
            };
            turns.Add(((Get(names.Role) ?? "").ToLowerInvariant(), Get(names.Content) ?? ""));
        }

        return turns;
    }
}
