using AutoRefiner.Core.Config;
using AutoRefiner.Core.Curation;
using AutoRefiner.Core.Model;
using AutoRefiner.Core.Pipeline;

namespace AutoRefiner.CSharp.Curation;

/// <summary>
/// Keeps families of near-identical doc-comment rows out, on seeds, before any generator (and any LLM call) sees them.
/// Only seeds with a target member (self-contained ones) are judged; inspiration seeds pass. In the order seeds arrive
/// (sources as given, files in path order, members in declaration order), a seed is left out when:
/// <list type="bullet">
/// <item><c>duplicate-member</c>: its member has the <see cref="MemberShape"/> of one kept before (the same code under other
/// names), or nearly: the Jaccard similarity of their shape's token shingles reaches <c>curation.near-duplicate-threshold</c>
/// (candidates found by MinHash + LSH, then measured exactly: on members of a dozen tokens the estimate's error is as
/// large as the step of one shingle);</item>
/// <item><c>template-cap</c>: <c>curation.max-per-template</c> seeds with its <see cref="DocTemplate"/> were kept;</item>
/// <item><c>file-cap</c>: <c>curation.max-per-file</c> seeds of its source file were kept.</item>
/// </list>
/// So the first ones survive, and a rerun over the same sources keeps the same ones. A cap of 0 is no cap. Families are
/// judged within one repository (project): copies across projects are the near-duplicate filter's, and a run sharded
/// by repository (<c>--shard</c>) keeps what one run keeps.
/// </summary>
public sealed class FamilyFilter(CurationConfig config) : ISeedFilter
{
    /// <summary>Rejection reasons, as counted in the manifest.</summary>
    public static class Reasons
    {
        /// <summary>The member is the same code as a kept one under other names.</summary>
        public const string DuplicateMember = "duplicate-member";

        /// <summary>Its doc template has reached <c>curation.max-per-template</c>.</summary>
        public const string TemplateCap = "template-cap";

        /// <summary>Its source file has reached <c>curation.max-per-file</c>.</summary>
        public const string FileCap = "file-cap";
    }

    private readonly MinHasher _hasher = new(config.MinHashPermutations, config.ShingleSize);
    private readonly Dictionary<string, Project> _projects = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>What was kept of one repository (project): families are judged within it.</summary>
    private sealed class Project(CurationConfig config)
    {
        public Dictionary<string, (string Where, HashSet<ulong> Shingles)> Shapes { get; } = new(StringComparer.Ordinal);

        public NearDuplicateIndex Near { get; } = new(config.MinHashPermutations, config.NearDuplicateThreshold);

        public Dictionary<string, int> Templates { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, int> Files { get; } = new(StringComparer.Ordinal);
    }

    /// <inheritdoc />
    public Seed? Filter(Seed seed, out string? reason, out string? example)
    {
        ArgumentNullException.ThrowIfNull(seed);
        (reason, example) = (null, null);
        if (!seed.SelfContained || seed.Member.Length == 0)
        {
            return seed;
        }

        var where = $"{seed.Provenance.Repo}/{seed.Provenance.Path}{(seed.Provenance.Lines.Length > 0 ? ":" + seed.Provenance.Lines.Split('-')[0] : "")} {seed.Name}";
        var shape = MemberShape.Of(seed.Member);
        var hashes = MemberShape.Hashes(seed.Member);
        var signature = _hasher.Signature(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(hashes));
        var shingles = Shingles(hashes, config.ShingleSize);
        var template = DocTemplate.Of(seed);
        var file = seed.Provenance.Path;
        lock (_gate)
        {
            if (!_projects.TryGetValue(seed.Provenance.Repo, out var project))
            {
                _projects[seed.Provenance.Repo] = project = new Project(config);
            }

            if (project.Shapes.TryGetValue(shape, out var twin))
            {
                (reason, example) = (Reasons.DuplicateMember, $"{where}: the same member as {twin.Where} under other names");
                return null;
            }

            if (project.Near.Find(signature) is { } near && project.Shapes[near.Id] is var other && Jaccard(shingles, other.Shingles) is var similarity
                && similarity >= config.NearDuplicateThreshold)
            {
                (reason, example) = (Reasons.DuplicateMember, $"{where}: nearly the same member as {other.Where} under other names (Jaccard similarity {similarity.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)})");
                return null;
            }

            if (config.MaxPerTemplate > 0 && project.Templates.GetValueOrDefault(template) >= config.MaxPerTemplate)
            {
                (reason, example) = (Reasons.TemplateCap, $"{where}: \"{template}\" already has {config.MaxPerTemplate} rows (curation.max-per-template)");
                return null;
            }

            if (config.MaxPerFile > 0 && project.Files.GetValueOrDefault(file) >= config.MaxPerFile)
            {
                (reason, example) = (Reasons.FileCap, $"{where}: its file already has {config.MaxPerFile} rows (curation.max-per-file)");
                return null;
            }

            project.Shapes[shape] = (where, shingles);
            project.Near.Add(shape, signature);
            project.Templates[template] = project.Templates.GetValueOrDefault(template) + 1;
            project.Files[file] = project.Files.GetValueOrDefault(file) + 1;
        }

        return seed;
    }

    /// <summary>The shingles of <paramref name="size"/> consecutive tokens, each as one 64-bit value; fewer tokens are one shingle.</summary>
    private static HashSet<ulong> Shingles(List<uint> tokens, int size)
    {
        var set = new HashSet<ulong>();
        for (var s = 0; s < Math.Max(1, tokens.Count - size + 1); s++)
        {
            var h = 14695981039346656037UL;
            for (var t = s; t < Math.Min(tokens.Count, s + size); t++)
            {
                h = (h ^ tokens[t]) * 1099511628211UL;
            }

            set.Add(h);
        }

        return set;
    }

    private static double Jaccard(HashSet<ulong> a, HashSet<ulong> b)
    {
        var common = a.Count(b.Contains);
        return (double)common / Math.Max(1, a.Count + b.Count - common);
    }
}
