using AutoRefiner.Core.Config;
using AutoRefiner.Core.Model;
using AutoRefiner.Core.Pipeline;
using AutoRefiner.Core.State;
using AutoRefiner.Core.Text;

namespace AutoRefiner.Core.Curation;

/// <summary>
/// Keeps out code whose licence is not on <c>curation.licenses</c> (verdict <c>license</c>), on seeds and on samples, for
/// every source, local ones included. Only code with no licence anywhere (no licence file above it, no licence in its
/// header) follows <c>curation.unlicensed-local</c>; a licence text that was not recognised is <c>unknown</c>, which is
/// refused unless listed, and copyleft code is kept only when its own id is admitted by the list.
/// </summary>
public sealed class LicenseCurator(CurationConfig config) : ICurator, ISeedFilter
{
    /// <summary>Why <paramref name="license"/> is not allowed, or null when it is.</summary>
    public string? Refusal(string license)
    {
        ArgumentNullException.ThrowIfNull(license);
        if (license.Length == 0)
        {
            return config.UnlicensedLocal == "drop" ? "no licence was found for its source (curation.unlicensed-local: drop)" : null;
        }

        return Spdx.IsAllowed(license, config.Licenses)
            ? null
            : $"its licence {license} is not in curation.licenses ({string.Join(", ", config.Licenses)})"
              + (Spdx.IsCopyleft(license) ? "; copyleft code is kept only when its own id is listed" : "");
    }

    /// <inheritdoc />
    public Judged Curate(Judged judged)
    {
        ArgumentNullException.ThrowIfNull(judged);
        return judged.Verdict == Verdict.Passed && Refusal(judged.Candidate.Provenance.License) is { } why
            ? judged with { Verdict = Verdict.License, Detail = why }
            : judged;
    }

    /// <inheritdoc />
    public Seed? Filter(Seed seed, out string? reason, out string? example)
    {
        ArgumentNullException.ThrowIfNull(seed);
        var why = Refusal(seed.Provenance.License);
        (reason, example) = why is null ? (null, null) : ("license", $"{seed.Provenance.Repo}/{seed.Provenance.Path} {seed.Name}: {why}");
        return why is null ? seed : null;
    }
}

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

/// <summary>Keeps evaluation sets out of the dataset (verdict <c>contaminated</c>, naming the benchmark and the item).</summary>
public sealed class DecontaminationCurator(BenchmarkIndex index) : ICurator
{
    /// <inheritdoc />
    public Judged Curate(Judged judged)
    {
        ArgumentNullException.ThrowIfNull(judged);
        if (judged.Verdict != Verdict.Passed || index.Count == 0)
        {
            return judged;
        }

        var c = judged.Candidate;
        var code = string.Join('\n', CodeBlocks.All(c.Response).Select(b => b.Body).Append(c.Tests));
        return index.Match(c.Instruction, code) is { } match
            ? judged with { Verdict = Verdict.Contaminated, Detail = $"overlaps {match}" }
            : judged;
    }
}

/// <summary>
/// Near-duplicate removal with MinHash + LSH over normalised code tokens (<see cref="CodeTokens"/>): on seeds, before
/// any LLM call, and on samples (instruction and code, or what the generator says to compare: a doc-comment row's
/// context, member and masked documentation). The first of a group is kept. The index of kept items is
/// persisted in the state store, so a refresh is de-duplicated against everything kept by earlier runs, and an item
/// kept before is recognised by its id and kept again.
/// </summary>
public sealed class NearDuplicateCurator : ICurator, ISeedFilter
{
    /// <inheritdoc />
    public bool Remembers => true;

    private readonly MinHasher _hasher;
    private readonly NearDuplicateIndex _samples;
    private readonly NearDuplicateIndex _seeds;
    private readonly StateStore? _store;
    private readonly Lock _gate = new();

    /// <summary>Creates the curator, loading what the store kept before.</summary>
    public NearDuplicateCurator(CurationConfig config, StateStore? store)
    {
        ArgumentNullException.ThrowIfNull(config);
        _hasher = new MinHasher(config.MinHashPermutations, config.ShingleSize);
        _samples = new NearDuplicateIndex(config.MinHashPermutations, config.NearDuplicateThreshold);
        _seeds = new NearDuplicateIndex(config.MinHashPermutations, config.NearDuplicateThreshold);
        _store = store;
        if (store is not null)
        {
            foreach (var (id, signature) in store.MinHashes("sample", config.MinHashPermutations))
            {
                _samples.Add(id, signature);
            }

            foreach (var (id, signature) in store.MinHashes("seed", config.MinHashPermutations))
            {
                _seeds.Add(id, signature);
            }
        }
    }

    /// <summary>The signature of a text's normalised tokens.</summary>
    public uint[] Signature(string text)
    {
        var tokens = new List<uint>(text.Length / 4);
        CodeTokens.Tokenize(text, tokens);
        return _hasher.Signature(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(tokens));
    }

    /// <inheritdoc />
    public Judged Curate(Judged judged)
    {
        ArgumentNullException.ThrowIfNull(judged);
        if (judged.Verdict != Verdict.Passed)
        {
            return judged;
        }

        var c = judged.Candidate;
        var id = SampleId.Of(c);
        var signature = Signature(c.Compared.Length > 0 ? c.Compared : c.Instruction + "\n" + string.Join('\n', CodeBlocks.All(c.Response).Select(b => b.Body)));
        lock (_gate)
        {
            if (!_samples.Contains(id) && _samples.Find(signature) is { } twin)
            {
                return judged with { Verdict = Verdict.Duplicate, Detail = $"near-duplicate of sample {twin.Id} (estimated Jaccard similarity {twin.Similarity:0.00})" };
            }

            _samples.Add(id, signature);
            _store?.PutMinHash("sample", id, signature);
        }

        return judged;
    }

    /// <inheritdoc />
    public Seed? Filter(Seed seed, out string? reason, out string? example)
    {
        ArgumentNullException.ThrowIfNull(seed);
        (reason, example) = (null, null);
        var signature = Signature(seed.Code);
        lock (_gate)
        {
            if (!_seeds.Contains(seed.Id) && _seeds.Find(signature) is { } twin)
            {
                (reason, example) = ("near-duplicate", $"{seed.Provenance.Repo}/{seed.Provenance.Path} {seed.Name}: near-duplicate of seed {twin.Id} (estimated Jaccard similarity {twin.Similarity:0.00})");
                return null;
            }

            _seeds.Add(seed.Id, signature);
            _store?.PutMinHash("seed", seed.Id, signature);
        }

        return seed;
    }
}
