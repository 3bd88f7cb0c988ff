using AutoRefiner.Core.Config;
using AutoRefiner.Core.Model;
using AutoRefiner.Core.Pipeline;

namespace AutoRefiner.Core.Curation;

/// <summary>
/// Finds secrets in seeds and samples (<see cref="SecretScanner"/>): with <c>curation.secrets: drop</c> the seed is not
/// used and the sample gets the verdict <c>secret</c> — its text redacted even in <c>rejected.jsonl</c>, so no secret is
/// written anywhere in the output; with <c>redact</c> each secret is replaced by <c>&lt;secret:kind&gt;</c>. E-mail
/// addresses are always replaced by <c>&lt;email&gt;</c>.
/// </summary>
public sealed class SecretCurator(CurationConfig config) : ICurator, ISeedFilter
{
    private bool Drop => config.Secrets == "drop";

    /// <inheritdoc />
    public Judged Curate(Judged judged)
    {
        ArgumentNullException.ThrowIfNull(judged);
        var c = judged.Candidate;
        var found = new List<string>();
        var cleaned = c with
        {
            Instruction = Clean(c.Instruction, "instruction", found),
            Response = Clean(c.Response, "response", found),
            Tests = Clean(c.Tests, "tests", found),
        };
        // Compiler and test messages quote the code (Expected: "sk-…"): they are written out too.
        var detailFindings = SecretScanner.Scan(judged.Detail);
        var detail = SecretScanner.RedactEmails(SecretScanner.Redact(judged.Detail, detailFindings));
        cleaned = cleaned with { ParseError = c.ParseError is null ? null : SecretScanner.RedactEmails(SecretScanner.Redact(c.ParseError, SecretScanner.Scan(c.ParseError))) };
        if (found.Count == 0)
        {
            return judged with { Candidate = cleaned, Detail = detail };
        }

        return judged.Verdict == Verdict.Passed && Drop
            ? judged with { Candidate = cleaned, Verdict = Verdict.Secret, Detail = $"found {string.Join(", ", found.Distinct(StringComparer.Ordinal))} (redacted here)" }
            : judged with { Candidate = cleaned, Detail = detail };
    }

    /// <inheritdoc />
    public Seed? Filter(Seed seed, out string? reason, out string? example)
    {
        ArgumentNullException.ThrowIfNull(seed);
        (reason, example) = (null, null);
        var findings = SecretScanner.Scan(seed.Code);
        var code = SecretScanner.RedactEmails(SecretScanner.Redact(seed.Code, findings));
        if (findings.Count > 0 && Drop)
        {
            (reason, example) = ("secret", $"{seed.Provenance.Repo}/{seed.Provenance.Path} {seed.Name}: {string.Join(", ", findings.Select(f => f.Kind).Distinct(StringComparer.Ordinal))}");
            return null;
        }

        var notice = RedactNoticeEmails(seed.Provenance.Notice);
        var kept = notice == seed.Provenance.Notice ? seed : seed with { Provenance = seed.Provenance with { Notice = notice } };
        return code == seed.Code ? kept : kept with { Code = code };
    }

    /// <summary>
    /// The notices that travel with a seed into ATTRIBUTION.md keep their holders' names, not their e-mail addresses;
    /// but a copyright line whose only holder is an address keeps it, since the licence asks for the notice as written.
    /// </summary>
    private static string RedactNoticeEmails(string notice)
    {
        if (!notice.Contains('@', StringComparison.Ordinal))
        {
            return notice;
        }

        return string.Join('\n', notice.Split('\n').Select(line =>
        {
            // An address written in angle brackets (<alice@example.org>) becomes <email>, not <<email>>.
            var redacted = SecretScanner.RedactEmails(line).Replace("<<email>>", "<email>", StringComparison.Ordinal);
            var rest = redacted.Replace("<email>", "", StringComparison.Ordinal)
                .Replace("Copyright", "", StringComparison.OrdinalIgnoreCase)
                .Replace("All rights reserved", "", StringComparison.OrdinalIgnoreCase)
                .Replace("(c)", "", StringComparison.OrdinalIgnoreCase);
            return rest.Any(char.IsLetter) ? redacted : line;
        }));
    }

    private static string Clean(string text, string where, List<string> found)
    {
        if (text.Length == 0)
        {
            return text;
        }

        var findings = SecretScanner.Scan(text);
        foreach (var f in findings)
        {
            found.Add($"{f.Kind} in the {where}");
        }

        return SecretScanner.RedactEmails(SecretScanner.Redact(text, findings));
    }
}
