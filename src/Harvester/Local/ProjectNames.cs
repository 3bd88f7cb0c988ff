namespace AutoRefiner.Harvester.Local;

/// <summary>
/// The names of the projects found in one run's local folders: a project without an upstream is named by its folder,
/// and two different folders of the same name get different names (<c>lib</c>, <c>lib-2</c>), so rows tell them apart.
/// </summary>
internal sealed class ProjectNames
{
    private readonly Dictionary<string, string> _byDirectory = new(StringComparer.Ordinal);
    private readonly HashSet<string> _taken = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _gate = new();

    /// <summary>The name of the project in <paramref name="directory"/> (the same on every call), from <paramref name="wanted"/>.</summary>
    public string Of(string directory, string wanted)
    {
        lock (_gate)
        {
            if (_byDirectory.TryGetValue(directory, out var known))
            {
                return known;
            }

            var name = wanted;
            for (var i = 2; !_taken.Add(name); i++)
            {
                name = $"{wanted}-{i}";
            }

            _byDirectory[directory] = name;
            return name;
        }
    }

}
