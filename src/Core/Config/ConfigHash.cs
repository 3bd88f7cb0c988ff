using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace AutoRefiner.Core.Config;

/// <summary>A stable fingerprint of the effective configuration, recorded in the manifest.</summary>
public static class ConfigHash
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = false };

    /// <summary>
    /// SHA-256 (hex) of the configuration's canonical JSON, without where things are written (output folder, state store,
    /// base directory): the same settings give the same hash wherever the dataset goes.
    /// </summary>
    public static string Of(HarvestConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var json = JsonSerializer.Serialize(config with { BaseDirectory = "", State = "", Export = config.Export with { Out = "" } }, Options);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)));
    }
}
