namespace AutoRefiner.Bench;

/// <summary>
/// A bench's command line: folders it reads (clones of public repositories, wherever they are on this machine) and
/// <c>--name value</c> options. No bench knows a folder of its own, so the repository names no machine's paths.
/// </summary>
internal static class BenchArgs
{
    /// <summary>The folders (each must exist) and the options among <paramref name="known"/>.</summary>
    public static (List<string> Folders, Dictionary<string, string> Options) Split(string[] args, IReadOnlyList<string> known)
    {
        var folders = new List<string>();
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i].StartsWith("--", StringComparison.Ordinal))
            {
                if (!known.Contains(args[i]) || i + 1 >= args.Length)
                {
                    throw new BenchUsageException($"'{args[i]}' is not an option here, or has no value (options: {string.Join(", ", known)})");
                }

                options[args[i]] = args[++i];
                continue;
            }

            if (!Directory.Exists(args[i]))
            {
                throw new BenchUsageException($"the folder '{args[i]}' does not exist");
            }

            folders.Add(Path.GetFullPath(args[i]));
        }

        return (folders, options);
    }
}
