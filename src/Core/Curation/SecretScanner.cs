using System.Text;
using System.Text.RegularExpressions;

namespace AutoRefiner.Core.Curation;

/// <summary>A secret found in text.</summary>
/// <param name="Kind">What it is (<c>aws-access-key</c>, <c>private-key</c>, …).</param>
/// <param name="Start">Where it starts.</param>
/// <param name="Length">How long it is.</param>
internal sealed record SecretFinding(string Kind, int Start, int Length);

/// <summary>
/// Finds secrets in source and generated text: private keys; AWS, Azure, GCP, GitHub, Slack, Stripe, OpenAI and Hugging
/// Face credentials; connection strings and URLs with passwords; JWTs; and high-entropy values assigned to names like
/// <c>password</c>, <c>secret</c> or <c>apiKey</c>. Each pattern is a source-generated regex whose literal prefix the
/// engine searches for with vectorised instructions. E-mail addresses are found separately (they are redacted, not
/// treated as secrets).
/// </summary>
internal static partial class SecretScanner
{
    /// <summary>A kind of secret and its pattern.</summary>
    /// <param name="Kind">The kind reported, as in <see cref="SecretFinding.Kind"/>.</param>
    /// <param name="Pattern">What it looks like; a <c>value</c> group marks the secret part, or else the whole match is.</param>
    /// <param name="Accept">A further check of the value (or null: every match is a secret).</param>
    private sealed record Rule(string Kind, Regex Pattern, Func<string, bool>? Accept = null);

    private static readonly Rule[] Rules =
    [
        new("aws-access-key", AwsAccessKey()),
        new("aws-secret-key", AwsSecretKey()),
        new("azure-storage-key", AzureStorageKey()),
        new("azure-sas-token", AzureSas()),
        new("azure-client-secret", AzureClientSecret()),
        new("gcp-api-key", GcpApiKey()),
        new("gcp-service-account", GcpServiceAccount()),
        new("private-key", PrivateKey()),
        new("private-key", RsaKeyXml(), v => v.Contains("<D>", StringComparison.Ordinal)),
        new("github-token", GitHubToken()),
        new("slack-token", SlackToken()),
        new("slack-webhook", SlackWebhook()),
        new("stripe-key", StripeKey()),
        new("openai-key", OpenAiKey()),
        new("huggingface-token", HuggingFaceToken()),
        new("jwt", Jwt()),
        new("connection-string-password", ConnectionStringPassword()),
        new("url-credentials", UrlCredentials()),
        new("bearer-token", BearerHeader(), LooksLikeToken),
        new("bearer-token", BearerHeaderValue(), LooksLikeToken),
        new("basic-auth", BasicHeader(), IsBasicCredential),
        new("network-credential", NetworkCredentialPassword(), LooksLikePassword),
        new("secret-assignment", SecretAssignment(), LooksRandom),
    ];

    /// <summary>Every secret in <paramref name="text"/>, in order, not overlapping.</summary>
    public static IReadOnlyList<SecretFinding> Scan(string text)
    {
        ArgumentNullException.ThrowIfNull(text);

        // Each pattern runs over the whole text: .NET's regex engine finds the places its pattern can start with vectorised
        // searches, which beats trying the patterns at anchors found first (measured: docs/benchmarks.md).
        var candidates = new List<(int Priority, SecretFinding Finding)>();
        for (var r = 0; r < Rules.Length; r++)
        {
            var rule = Rules[r];
            for (var match = rule.Pattern.Match(text); match.Success; match = match.NextMatch())
            {
                var value = match.Groups["value"].Success ? match.Groups["value"] : (Group)match;
                if (rule.Accept?.Invoke(value.Value) == false)
                {
                    continue;
                }

                // A value assigned to a name like "secret" may be a credential of a known kind: name that kind.
                var kind = rule.Kind == "secret-assignment" ? Classify(value.Value) ?? rule.Kind : rule.Kind;
                candidates.Add((r, new SecretFinding(kind, value.Index, value.Length)));
            }
        }

        if (candidates.Count == 0)
        {
            return [];
        }

        // Overlapping findings: the more specific rule (listed first) wins.
        var findings = new List<SecretFinding>();
        foreach (var (_, finding) in candidates.OrderBy(c => c.Priority).ThenBy(c => c.Finding.Start))
        {
            if (!findings.Any(f => f.Start < finding.Start + finding.Length && finding.Start < f.Start + f.Length))
            {
                findings.Add(finding);
            }
        }

        findings.Sort((x, y) => x.Start.CompareTo(y.Start));
        return findings;
    }

    private static string? Classify(string value)
    {
        foreach (var rule in Rules)
        {
            if (rule.Kind is not ("secret-assignment" or "connection-string-password" or "url-credentials" or "bearer-token" or "basic-auth" or "network-credential") && rule.Pattern.IsMatch(value))
            {
                return rule.Kind;
            }
        }

        return null;
    }

    /// <summary>The text with each finding replaced by <c>&lt;secret:kind&gt;</c>.</summary>
    public static string Redact(string text, IReadOnlyList<SecretFinding> findings)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(findings);
        if (findings.Count == 0)
        {
            return text;
        }

        var sb = new StringBuilder(text.Length);
        var last = 0;
        foreach (var f in findings.OrderBy(f => f.Start))
        {
            if (f.Start < last)
            {
                continue;
            }

            sb.Append(text, last, f.Start - last).Append("<secret:").Append(f.Kind).Append('>');
            last = f.Start + f.Length;
        }

        return sb.Append(text, last, text.Length - last).ToString();
    }

    /// <summary>The text with every e-mail address replaced by <c>&lt;email&gt;</c>.</summary>
    public static string RedactEmails(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Contains('@', StringComparison.Ordinal) ? Email().Replace(text, "<email>") : text;
    }

    /// <summary>A bearer token, not a word after "Bearer" in prose or a scheme name: random-looking, with a digit.</summary>
    private static bool LooksLikeToken(string value) => value.Any(char.IsAsciiDigit) && LooksRandom(value);

    /// <summary>HTTP basic credentials: base64 of printable <c>user:password</c>, not a CamelCase word after "Basic".</summary>
    private static bool IsBasicCredential(string value)
    {
        var bytes = new byte[value.Length];
        if (value.Length % 4 != 0 || !Convert.TryFromBase64String(value, bytes, out var length))
        {
            return false;
        }

        var text = Encoding.UTF8.GetString(bytes, 0, length);
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && colon < text.Length - 1 && text.All(c => !char.IsControl(c));
    }

    /// <summary>A literal password: not a placeholder, and not a demo word (<c>pass</c>, <c>admin</c>): 6+ characters of 2+ kinds.</summary>
    private static bool LooksLikePassword(string value)
    {
        if (value.Length < 6 || Placeholder().IsMatch(value))
        {
            return false;
        }

        var classes = (value.Any(char.IsUpper) ? 1 : 0) + (value.Any(char.IsLower) ? 1 : 0) + (value.Any(char.IsDigit) ? 1 : 0) + (value.Any(c => !char.IsLetterOrDigit(c)) ? 1 : 0);
        return classes >= 2;
    }

    /// <summary>Whether a value looks like a real credential rather than a placeholder: long enough, varied enough.</summary>
    internal static bool LooksRandom(string value)
    {
        if (value.Length < 8 || Placeholder().IsMatch(value))
        {
            return false;
        }

        var counts = new Dictionary<char, int>();
        foreach (var ch in value)
        {
            counts[ch] = counts.GetValueOrDefault(ch) + 1;
        }

        var entropy = counts.Values.Sum(n => -((double)n / value.Length) * Math.Log2((double)n / value.Length));
        var classes = (value.Any(char.IsUpper) ? 1 : 0) + (value.Any(char.IsLower) ? 1 : 0) + (value.Any(char.IsDigit) ? 1 : 0) + (value.Any(c => !char.IsLetterOrDigit(c)) ? 1 : 0);
        return entropy >= 3.0 && classes >= 2;
    }

    [GeneratedRegex(@"-----BEGIN (?:RSA |EC |DSA |OPENSSH |PGP |ENCRYPTED )?PRIVATE KEY(?: BLOCK)?-----[\s\S]{16,}?-----END (?:RSA |EC |DSA |OPENSSH |PGP |ENCRYPTED )?PRIVATE KEY(?: BLOCK)?-----")]
    private static partial Regex PrivateKey();

    /// <summary>A .NET XML RSA key (<c>RSA.ToXmlString(true)</c>); only one holding the private exponent <c>&lt;D&gt;</c> is a secret.</summary>
    // The whole block, up to the next opening or closing tag: each opening is scanned once, so the cost stays linear
    // whatever the text holds; the rule's check keeps only blocks with the private exponent.
    [GeneratedRegex(@"<RSAKeyValue>(?:(?!</?RSAKeyValue>)[\s\S]){16,16384}?</RSAKeyValue>")]
    private static partial Regex RsaKeyXml();

    /// <summary>A bearer token written into a header or a header string: <c>"Authorization: Bearer …"</c>, <c>"Bearer …"</c>.</summary>
    [GeneratedRegex(@"\b(?i:bearer)[ \t]+(?<value>[A-Za-z0-9._~+/-]{16,}=*)")]
    private static partial Regex BearerHeader();

    /// <summary><c>new AuthenticationHeaderValue("Bearer", "…")</c> with the token as a literal.</summary>
    [GeneratedRegex(@"AuthenticationHeaderValue\(\s*(?:""(?i:bearer|token)""|JwtBearerDefaults\.AuthenticationScheme)\s*,\s*@?""(?<value>[^""\s]{16,})""")]
    private static partial Regex BearerHeaderValue();

    /// <summary>HTTP basic credentials written out: <c>"Basic dXNlcjpwYXNz…"</c> (base64 of <c>user:password</c>).</summary>
    [GeneratedRegex(@"\b(?i:basic)[ \t]+(?<value>[A-Za-z0-9+/]{12,}={0,2})(?=[""'\s]|$)")]
    private static partial Regex BasicHeader();

    /// <summary><c>new NetworkCredential("user", "password")</c> with a literal password.</summary>
    [GeneratedRegex(@"NetworkCredential\(\s*@?""[^""\r\n]{0,256}""\s*,\s*@?""(?<value>[^""\r\n]{4,256})""")]
    private static partial Regex NetworkCredentialPassword();

    [GeneratedRegex(@"\b(?<value>(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16})\b")]
    private static partial Regex AwsAccessKey();

    [GeneratedRegex(@"(?i:aws[_-]?secret(?:[_-]?access)?[_-]?key|secretaccesskey)\W{0,5}(?<value>[A-Za-z0-9/+=]{40})\b")]
    private static partial Regex AwsSecretKey();

    [GeneratedRegex(@"(?i:accountkey)=(?<value>[A-Za-z0-9+/]{40,}={0,2})")]
    private static partial Regex AzureStorageKey();

    [GeneratedRegex(@"[?&]sig=(?<value>[A-Za-z0-9%+/]{30,}={0,2})")]
    private static partial Regex AzureSas();

    [GeneratedRegex(@"\b(?<value>[A-Za-z0-9_~.-]{3}8Q~[A-Za-z0-9_~.-]{31,34})")]
    private static partial Regex AzureClientSecret();

    [GeneratedRegex(@"\b(?<value>AIza[0-9A-Za-z_-]{35})")]
    private static partial Regex GcpApiKey();

    [GeneratedRegex(@"""private_key""\s*:\s*""(?<value>-----BEGIN[^""]{40,})""")]
    private static partial Regex GcpServiceAccount();

    [GeneratedRegex(@"\b(?<value>(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255}))")]
    private static partial Regex GitHubToken();

    [GeneratedRegex(@"\b(?<value>(?:xox[baprs]|xapp)-[A-Za-z0-9-]{10,})")]
    private static partial Regex SlackToken();

    [GeneratedRegex(@"(?<value>https://hooks\.slack\.com/services/T[A-Z0-9]+/B[A-Z0-9]+/[A-Za-z0-9]{20,})")]
    private static partial Regex SlackWebhook();

    [GeneratedRegex(@"\b(?<value>[sr]k_(?:live|test)_[A-Za-z0-9]{20,})")]
    private static partial Regex StripeKey();

    [GeneratedRegex(@"\b(?<value>sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}(?:T3BlbkFJ[A-Za-z0-9_-]{20,})?)")]
    private static partial Regex OpenAiKey();

    [GeneratedRegex(@"\b(?<value>hf_[A-Za-z0-9]{30,})")]
    private static partial Regex HuggingFaceToken();

    [GeneratedRegex(@"\b(?<value>eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,})")]
    private static partial Regex Jwt();

    [GeneratedRegex(@"(?<=[;""'\s]|^)(?i:password|pwd)=(?<value>[^;""'\s]{4,})")]
    private static partial Regex ConnectionStringPassword();

    [GeneratedRegex(@"(?<=[a-zA-Z][a-zA-Z0-9+.-]{0,20})://[^/\s:@""']{1,64}:(?<value>[^/\s:@""']{3,128})@")]
    private static partial Regex UrlCredentials();

    // The match starts at the keyword, not at the start of the name (`\b\w{0,30}` before it would make the engine try
    // every word boundary: 66 against 775 MB/s); the value, the part redacted, is the same.
    [GeneratedRegex(@"(?i:password|passwd|secret|api[_-]?key|token|access[_-]?key|client[_-]?secret|private[_-]?key|signing[_-]?key|encryption[_-]?key|credential)\w{0,30}[""']?[ \t]{0,8}(?:=|:|=>)[ \t]{0,8}@?[""'](?<value>[^""'\s]{8,200})[""']")]
    private static partial Regex SecretAssignment();

    [GeneratedRegex(@"^(?i:(?:your|my|the)?[_-]?(?:api[_-]?)?(?:key|token|secret|password)[_-]?(?:here)?|changeme|change[_-]?me|password\d*|secret\d*|example|placeholder|dummy|test(?:ing)?|x{4,}|\*{4,}|\.{4,}|<[^>]*>|\$\{[^}]*\}|\{\{[^}]*\}\}|%[A-Z_]+%)$")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")]
    private static partial Regex Email();
}
