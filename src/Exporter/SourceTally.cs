namespace AutoRefiner.Exporter;

/// <summary>
/// What the rows of a dataset say of their sources, per project (repository and commit): its licences with their row
/// counts, its upstream, its version and the notices its licence asks to keep. Everything comes from the rows themselves,
/// so a row is always credited to its own source.
/// </summary>
internal sealed class SourceTally
{
    /// <summary>Distinct notices kept per project: enough for every file header of a large project, bounded for a huge one.</summary>
    private const int MaxNotices = 50;

    private readonly Dictionary<(string Repo, string Commit), ProjectTally> _projects = [];

    /// <summary>Rows per licence (empty = no licence anywhere).</summary>
    public Dictionary<string, long> Licenses { get; } = new(StringComparer.Ordinal);

    /// <summary>The projects, by name then commit.</summary>
    public IEnumerable<ProjectTally> Projects =>
        _projects.Values.OrderBy(p => p.Repo, StringComparer.Ordinal).ThenBy(p => p.Commit, StringComparer.Ordinal);

    /// <summary>Counts one written row.</summary>
    public void Add(DatasetRow row)
    {
        ArgumentNullException.ThrowIfNull(row);

        // Rows of earlier runs (carried over, merged) may spell an id in lower case: mit and MIT are one licence.
        var license = Core.Curation.Spdx.Canonical(row.SourceLicense ?? "");
        Licenses[license] = Licenses.GetValueOrDefault(license) + 1;
        var key = (row.SourceRepo, row.SourceCommit);
        if (!_projects.TryGetValue(key, out var project))
        {
            _projects[key] = project = new ProjectTally(row.SourceRepo, row.SourceCommit);
        }

        project.Rows++;
        project.Licenses[license] = project.Licenses.GetValueOrDefault(license) + 1;
        if (project.Upstream.Length == 0)
        {
            project.Upstream = Attribution.RepositoryUrl(row.SourceUrl);
        }

        if (project.Version.Length == 0)
        {
            project.Version = row.SourceProjectVersion ?? "";
        }

        if (row.SourceNotice is { Length: > 0 } notice)
        {
            if (project.Notices.Count < MaxNotices)
            {
                project.Notices.Add(notice);
            }
            else if (!project.Notices.Contains(notice))
            {
                project.NoticesLeftOut = true;
            }
        }
    }
}

/// <summary>One project of <see cref="SourceTally"/>.</summary>
internal sealed class ProjectTally(string repo, string commit)
{
    public string Repo { get; } = repo;

    public string Commit { get; } = commit;

    public long Rows { get; set; }

    public Dictionary<string, long> Licenses { get; } = new(StringComparer.Ordinal);

    public string Upstream { get; set; } = "";

    public string Version { get; set; } = "";

    public SortedSet<string> Notices { get; } = new(StringComparer.Ordinal);

    public bool NoticesLeftOut { get; set; }

    /// <summary>Its licences, most rows first (<c>unknown</c> for a text not recognised, <c>none</c> for none).</summary>
    public string LicenseSummary => string.Join(", ", Licenses.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal)
        .Select(kv => Licenses.Count == 1 ? Name(kv.Key) : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Name(kv.Key)} ({kv.Value:N0})")));

    /// <summary>How a licence id is shown: the id, or <c>none</c>.</summary>
    public static string Name(string license) => license.Length > 0 ? license : "none";
}
