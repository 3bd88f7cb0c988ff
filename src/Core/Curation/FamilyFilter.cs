using AutoRefiner.Core.Config;
using AutoRefiner.Core.Model;
using AutoRefiner.Core.Pipeline;

namespace AutoRefiner.Core.Curation;

/// <summary>
/// Keeps families of near-identical doc-comment rows out, on seeds, before any generator (and any LLM call) sees them.
/// Only seeds with a target member (self-contained ones) are judged; inspiration seeds pass. In the order seeds arrive
/// (sources as given, files in path order, members in declaration order), a seed is left out when:
/// <list type="bullet">
/// <item><c>duplicate-member</c>: its member has the <see cref="MemberShape"/> of one kept before (the same code under other names);</item>
/// <item><c>template-cap</c>: <c>curation.max-per-template</c> seeds with its <see cref="DocTemplate"/> were kept;</item>
/// <item><c>file-cap</c>: <c>curation.max-per-file</c> seeds of its source file were kept.</item>
/// </list>
/// So the first ones survive, and a rerun over the same sources keeps the same ones. A cap of 0 is no cap. The caps
/// count within one run (one shard): <c>merge</c> does not apply them again.
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

    private readonly Dictionary<string, string> _shapes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _templates = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _files = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

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
        var template = DocTemplate.Of(seed);
        var file = $"{seed.Provenance.Repo}/{seed.Provenance.Path}";
        lock (_gate)
        {
            if (_shapes.TryGetValue(shape, out var twin))
            {
                (reason, example) = (Reasons.DuplicateMember, $"{where}: the same member as {twin} under other names");
                return null;
            }

            if (config.MaxPerTemplate > 0 && _templates.GetValueOrDefault(template) >= config.MaxPerTemplate)
            {
                (reason, example) = (Reasons.TemplateCap, $"{where}: \"{template}\" already has {config.MaxPerTemplate} rows (curation.max-per-template)");
                return null;
            }

            if (config.MaxPerFile > 0 && _files.GetValueOrDefault(file) >= config.MaxPerFile)
            {
                (reason, example) = (Reasons.FileCap, $"{where}: its file already has {config.MaxPerFile} rows (curation.max-per-file)");
                return null;
            }

            _shapes[shape] = where;
            _templates[template] = _templates.GetValueOrDefault(template) + 1;
            _files[file] = _files.GetValueOrDefault(file) + 1;
        }

        return seed;
    }
}
