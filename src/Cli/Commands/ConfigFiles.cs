using AutoRefiner.Config;
using AutoRefiner.Core;
using AutoRefiner.Core.Config;

namespace AutoRefiner.Cli.Commands;

/// <summary>Finds and loads the configuration every command shares.</summary>
internal static class ConfigFiles
{
    /// <summary><paramref name="path"/> (<c>--config</c>), else <c>./harvest.yml</c> when present, else the built-in defaults.</summary>
    public static HarvestConfig Load(string? path)
    {
        if (path is not null)
        {
            if (Directory.Exists(path))
            {
                throw AutoRefinerException.Usage($"--config '{path}' is a folder; give the configuration file (harvest.yml)");
            }

            if (!File.Exists(path))
            {
                throw AutoRefinerException.Usage($"--config '{path}' does not exist");
            }

            return ConfigLoader.Load(path);
        }

        return File.Exists(ConfigLoader.DefaultFileName)
            ? ConfigLoader.Load(ConfigLoader.DefaultFileName)
            : new HarvestConfig();
    }
}
