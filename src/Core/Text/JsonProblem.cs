using System.Text.Json;

namespace AutoRefiner.Core.Text;

/// <summary>
/// What is wrong with a piece of JSON, said for a person: System.Text.Json's reason without its zero-based position
/// notes and without the .NET type it wanted (a user wrote JSON, not <c>System.Int64</c>).
/// </summary>
public static class JsonProblem
{
    /// <summary>The reason, then where (the JSON path and the 1-based line and byte when known).</summary>
    public static string Describe(JsonException e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var message = e.Message;
        foreach (var marker in new[] { " Path: ", " LineNumber: ", " | " })
        {
            var at = message.IndexOf(marker, StringComparison.Ordinal);
            if (at >= 0)
            {
                message = message[..at];
            }
        }

        if (message.Contains("could not be converted to", StringComparison.Ordinal) || message.Contains("System.", StringComparison.Ordinal))
        {
            message = "a value has the wrong type";
        }

        message = message.TrimEnd().TrimEnd('.');
        var where = new List<string>();
        if (e.Path is { Length: > 0 } path && path != "$")
        {
            where.Add($"at {path}");
        }

        if (e.LineNumber is { } line && line > 0)
        {
            where.Add($"line {line + 1}");
        }

        if (e.BytePositionInLine is { } column)
        {
            where.Add($"byte {column + 1}");
        }

        return where.Count == 0 ? message : $"{message} ({string.Join(", ", where)})";
    }
}
