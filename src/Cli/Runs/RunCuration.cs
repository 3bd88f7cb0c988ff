using System.Globalization;
using AutoRefiner.Core;
using AutoRefiner.Core.Config;
using AutoRefiner.Core.Curation;
using AutoRefiner.Core.Pipeline;
using AutoRefiner.Core.State;
using AutoRefiner.CSharp.Curation;
using AutoRefiner.Exporter;
using Microsoft.Extensions.DependencyInjection;

namespace AutoRefiner.Cli.Runs;

/// <summary>
/// A run's curation, in order: licence, secrets, benchmarks, exact and near duplicates, then doc-comment families.
/// The seed filters run the same checks before any generator sees a seed.
/// </summary>
internal static class RunCuration
{
    /// <summary>
    /// Loads the benchmarks, registers the curators and seed filters, and returns what the manifest and card say
    /// about them. <paramref name="signatures"/> keeps the near-duplicate index across runs (null: this run only).
    /// </summary>
    public static async Task<CurationSummary> AddAsync(
        IServiceCollection services, HarvestConfig config, IMinHashStore? signatures, bool docCommentFamilies, CancellationToken cancellationToken)
    {
        var curation = config.Curation;
        var benchmarks = new BenchmarkIndex(curation.BenchmarkNgram);
        for (var i = 0; i < curation.Benchmarks.Count; i++)
        {
            var file = curation.Benchmarks[i];
            if (file == BuiltinBenchmarks.Keyword)
            {
                BuiltinBenchmarks.LoadInto(benchmarks);
                continue;
            }

            if (!File.Exists(config.ResolvePath(file)))
            {
                var where = i < curation.BenchmarkLocations.Count ? curation.BenchmarkLocations[i] + ": " : "";
                throw AutoRefinerException.Usage($"{where}curation.benchmarks[{i}]: '{file}' does not exist (paths are relative to the configuration file's folder)");
            }

            await BenchmarkFiles.LoadAsync(config.ResolvePath(file), benchmarks, cancellationToken);
        }

        var license = new LicenseCurator(curation);
        var secrets = new SecretCurator(curation);
        services.AddSingleton<ICurator>(license);
        services.AddSingleton<ICurator>(secrets);
        services.AddSingleton<ICurator>(new DecontaminationCurator(benchmarks));
        services.AddSingleton<ICurator, ExactDeduplicator>();
        services.AddSingleton<ISeedFilter>(license);
        services.AddSingleton<ISeedFilter>(secrets);
        if (curation.NearDuplicates)
        {
            var nearDuplicates = new NearDuplicateCurator(curation, signatures);
            services.AddSingleton<ICurator>(nearDuplicates);
            services.AddSingleton<ISeedFilter>(nearDuplicates);
        }

        if (docCommentFamilies)
        {
            // Families of doc-comment rows (one member under many names, one doc sentence over many overloads, one file
            // over many rows): after the near-duplicates, so a seed left out there takes no place under a cap.
            services.AddSingleton<ISeedFilter>(new FamilyFilter(curation));
        }

        return new CurationSummary(
            (curation.NearDuplicates ? string.Create(CultureInfo.InvariantCulture, $"MinHash + LSH, {curation.MinHashPermutations} permutations, {curation.ShingleSize}-token shingles, threshold {curation.NearDuplicateThreshold}") : "off")
            + (docCommentFamilies ? $"; doc-comment families, within each repository: one row per member shape, {Cap(curation.MaxPerTemplate)} per doc template, {Cap(curation.MaxPerFile)} per file" : ""),
            benchmarks.Benchmarks,
            curation.Secrets,
            curation.Licenses,
            curation.UnlicensedLocal);
    }

    /// <summary>A cap as the card says it: "at most 3 rows", or "no cap" for 0.</summary>
    private static string Cap(int cap) => cap == 0 ? "no cap" : $"at most {cap} rows";
}
