using System.Globalization;
using AutoRefiner.Core;
using AutoRefiner.Core.Config;
using AutoRefiner.Core.Curation;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace AutoRefiner.Config;

/// <summary>
/// Loads <c>harvest.yml</c> into <see cref="HarvestConfig"/>. Every unknown key, wrong type or impossible value
/// is an <see cref="AutoRefinerException"/> that names the file, the line and the dotted key.
/// </summary>
public static class ConfigLoader
{
    /// <summary>The file name looked for in the working directory when no <c>--config</c> is given.</summary>
    public const string DefaultFileName = "harvest.yml";

    /// <summary>Reads and validates a configuration file.</summary>
    public static HarvestConfig Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw AutoRefinerException.ConfigFile(path, $"cannot read the configuration file ({e.Message})", e);
        }

        return Parse(text, path, Path.GetDirectoryName(Path.GetFullPath(path))!);
    }

    /// <summary>Parses configuration text; <paramref name="fileName"/> is used in messages only.</summary>
    public static HarvestConfig Parse(string text, string fileName, string baseDirectory)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            // YamlDotNet reports a tab in the indentation at the start of the enclosing mapping (often line 1); the line
            // that holds the tab is the one the user must fix.
            if (TabIndentation.Find(text, (int)e.Start.Line) is { } tab)
            {
                throw AutoRefinerException.Config(fileName, tab.Line, tab.Key, "is indented with a tab; YAML does not allow tabs in indentation: indent with spaces", e);
            }

            // An unclosed [ or { is reported where the parser gave up (the end of the file, often); the line that
            // opened it is the one to fix.
            // The parser cannot fail before it has read the bracket it complains about.
            if (Innermost(e).Message.Contains("flow", StringComparison.OrdinalIgnoreCase) && UnclosedFlow.Find(text) is { } unclosed
                && unclosed.Line <= e.Start.Line)
            {
                throw AutoRefinerException.Config(fileName, unclosed.Line, unclosed.Key, unclosed.Problem, e);
            }

            throw AutoRefinerException.ConfigFile(
                fileName, $"line {e.Start.Line}, column {e.Start.Column}: not valid YAML: {Innermost(e).Message}", e);
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet's scanner fails this way on some unterminated flow collections; it knows no position then, and
            // its own message is about its internals.
            throw UnclosedFlow.Find(text) is { } unclosed
                ? AutoRefinerException.Config(fileName, unclosed.Line, unclosed.Key, unclosed.Problem, e)
                : AutoRefinerException.ConfigFile(
                    fileName, "not valid YAML, and the parser gave no position: look at the lines inside [ ] or { } (their indentation, a missing comma)", e);
        }

        if (stream.Documents.Count > 1)
        {
            throw AutoRefinerException.ConfigFile(
                fileName, $"line {stream.Documents[1].RootNode.Start.Line}: a second YAML document ('---'); the configuration is one document");
        }

        var defaults = new HarvestConfig { BaseDirectory = baseDirectory };
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            return defaults;
        }

        var root = new Node(stream.Documents[0].RootNode, "(root)", fileName);
        var map = root.Mapping("lang", "sources", "extraction", "llm", "generation", "validation", "curation", "export", "hub", "state");
        var config = defaults with
        {
            Lang = map.Get("lang")?.OneOf(HarvestConfig.SupportedLanguages, "a supported language") ?? defaults.Lang,
            Sources = ReadSources(map.Get("sources"), defaults.Sources),
            Extraction = ReadExtraction(map.Get("extraction"), defaults.Extraction),
            Llm = ReadLlm(map.Get("llm"), defaults.Llm),
            Generation = ReadGeneration(map.Get("generation"), defaults.Generation),
            Validation = ReadValidation(map.Get("validation"), defaults.Validation),
            Curation = ReadCuration(map.Get("curation"), defaults.Curation),
            Export = ReadExport(map.Get("export"), defaults.Export),
            Hub = ReadHub(map.Get("hub"), defaults.Hub),
            State = map.Get("state")?.NonEmptyString() ?? defaults.State,
        };
        return config;
    }

    private static SourcesConfig ReadSources(Node? node, SourcesConfig d)
    {
        if (node is null || node.IsNull)
        {
            return d;
        }

        var map = node.Mapping("github", "local");
        var gh = map.Get("github");
        var github = d.GitHub;
        if (gh is not null && !gh.IsNull)
        {
            var g = gh.Mapping("query", "repos", "max-repos", "licenses", "max-wait-minutes");
            github = new GitHubSourceConfig
            {
                Query = g.Get("query")?.OptionalString() ?? d.GitHub.Query,
                Repos = g.Get("repos")?.StringList(v => v.Split('/').Length == 2 && !v.Contains(' ', StringComparison.Ordinal), "owner/name") ?? d.GitHub.Repos,
                MaxRepos = g.Get("max-repos")?.Int(0, 100_000) ?? d.GitHub.MaxRepos,
                Licenses = g.Get("licenses")?.StringList(v => !v.Any(char.IsUpper), "a lower-case SPDX id") ?? d.GitHub.Licenses,
                MaxWaitMinutes = g.Get("max-wait-minutes")?.Int(0, 24 * 60) ?? d.GitHub.MaxWaitMinutes,
            };
        }

        return new SourcesConfig
        {
            GitHub = github,
            Local = map.Get("local")?.StringList(_ => true, "a path") ?? d.Local,
        };
    }

    private static ExtractionConfig ReadExtraction(Node? node, ExtractionConfig d)
    {
        if (node is null || node.IsNull)
        {
            return d;
        }

        var m = node.Mapping("max-file-kb", "max-files-per-compilation", "max-seed-lines", "exclude-dirs");
        return new ExtractionConfig
        {
            MaxFileKb = m.Get("max-file-kb")?.Int(1, 64 * 1024) ?? d.MaxFileKb,
            MaxFilesPerCompilation = m.Get("max-files-per-compilation")?.Int(1, 1_000_000) ?? d.MaxFilesPerCompilation,
            MaxSeedLines = m.Get("max-seed-lines")?.Int(1, 100_000) ?? d.MaxSeedLines,
            ExcludeDirs = m.Get("exclude-dirs")?.StringList(v => !v.Contains('/', StringComparison.Ordinal), "a directory name (no slashes)") ?? d.ExcludeDirs,
        };
    }

    private static LlmConfig ReadLlm(Node? node, LlmConfig d)
    {
        if (node is null || node.IsNull)
        {
            return d;
        }

        var m = node.Mapping("endpoint", "model", "api-key-env", "concurrency", "temperature", "max-tokens", "max-tokens-field", "seed", "timeout-seconds", "max-retries", "prices", "max-cost", "max-tokens-total");
        var keyEnv = m.Get("api-key-env");
        var keyEnvValue = keyEnv?.NonEmptyString();
        if (keyEnvValue is not null && !LlmConfig.IsVariableName(keyEnvValue))
        {
            keyEnv!.Fail(LlmConfig.NotAVariableName);
        }

        var endpoint = m.Get("endpoint");
        var endpointValue = endpoint?.OptionalString();
        if (endpointValue is not null && (!Uri.TryCreate(endpointValue, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
        {
            endpoint!.Fail("must be an http(s) URL");
        }

        var prices = ReadPrices(m.Get("prices")) ?? d.Prices;
        var model = m.Get("model")?.OptionalString() ?? d.Model;
        var maxCost = m.Get("max-cost");
        var maxCostValue = maxCost is { IsNull: false } ? maxCost.Double(0, 1e12) : d.MaxCost;
        if (maxCostValue is not null && model is not null && !prices.ContainsKey(model))
        {
            maxCost!.Fail($"needs a price for model '{model}' in llm.prices (the limit is in the currency of that table)");
        }

        return new LlmConfig
        {
            MaxCost = maxCostValue,
            MaxTokensTotal = m.Get("max-tokens-total") is { IsNull: false } total ? total.Int(1, int.MaxValue) : d.MaxTokensTotal,
            Endpoint = endpointValue ?? d.Endpoint,
            Model = model,
            ApiKeyEnv = keyEnvValue ?? d.ApiKeyEnv,
            Concurrency = m.Get("concurrency")?.Int(1, 1024) ?? d.Concurrency,
            Temperature = m.Get("temperature")?.Double(0, 2) ?? d.Temperature,
            MaxTokens = m.Get("max-tokens")?.Int(16, 1_000_000) ?? d.MaxTokens,
            MaxTokensField = m.Get("max-tokens-field")?.OneOf(LlmConfig.MaxTokensFields, "a token-limit field") ?? d.MaxTokensField,
            Seed = m.Get("seed") is { IsNull: false } seed ? seed.Int(int.MinValue, int.MaxValue) : d.Seed,
            TimeoutSeconds = m.Get("timeout-seconds")?.Int(1, 24 * 3600) ?? d.TimeoutSeconds,
            MaxRetries = m.Get("max-retries")?.Int(0, 100) ?? d.MaxRetries,
            Prices = prices,
        };
    }

    private static SortedDictionary<string, TokenPrice>? ReadPrices(Node? node)
    {
        if (node is null)
        {
            return null;
        }

        var prices = new SortedDictionary<string, TokenPrice>(StringComparer.Ordinal);
        if (node.IsNull)
        {
            return prices;
        }

        foreach (var (model, entry) in node.Entries("a model id"))
        {
            var m = entry.Mapping("input", "output");
            prices[model] = new TokenPrice(
                m.Get("input")?.Double(0, 1_000_000) ?? entry.Missing<double>("input", "price per million prompt tokens"),
                m.Get("output")?.Double(0, 1_000_000) ?? entry.Missing<double>("output", "price per million completion tokens"));
        }

        return prices;
    }

    private static GenerationConfig ReadGeneration(Node? node, GenerationConfig d)
    {
        if (node is null || node.IsNull)
        {
            return d;
        }

        var m = node.Mapping("tasks", "repair-rounds", "candidates");
        return new GenerationConfig
        {
            Tasks = m.Get("tasks")?.NonEmptyChoiceList(GenerationConfig.KnownTasks, "task") ?? d.Tasks,
            RepairRounds = m.Get("repair-rounds")?.Int(0, 10) ?? d.RepairRounds,
            Candidates = m.Get("candidates")?.Int(1, GenerationConfig.MaxCandidates) ?? d.Candidates,
        };
    }

    private static ValidationConfig ReadValidation(Node? node, ValidationConfig d)
    {
        if (node is null || node.IsNull)
        {
            return d;
        }

        var m = node.Mapping("tests", "timeout-seconds", "memory-mb", "parallelism", "mutants", "min-mutation-score");
        return new ValidationConfig
        {
            Tests = m.Get("tests")?.Bool() ?? d.Tests,
            TimeoutSeconds = m.Get("timeout-seconds")?.Int(1, 3600) ?? d.TimeoutSeconds,
            MemoryMb = m.Get("memory-mb")?.Int(ValidationConfig.MinMemoryMb, ValidationConfig.MaxMemoryMb) ?? d.MemoryMb,
            Parallelism = m.Get("parallelism")?.Int(0, 256) ?? d.Parallelism,
            Mutants = m.Get("mutants")?.Int(0, ValidationConfig.MaxMutants) ?? d.Mutants,
            MinMutationScore = m.Get("min-mutation-score")?.Double(0, 1) ?? d.MinMutationScore,
        };
    }

    private static CurationConfig ReadCuration(Node? node, CurationConfig d)
    {
        if (node is null || node.IsNull)
        {
            return d;
        }

        var m = node.Mapping(
            "near-duplicates", "near-duplicate-threshold", "minhash-permutations", "shingle-size", "benchmarks", "benchmark-ngram",
            "secrets", "licenses", "unlicensed-local", "max-per-template", "max-per-file");
        var permutations = m.Get("minhash-permutations");
        var permutationValue = permutations?.Int(16, 4096);
        if (permutationValue is { } p && p % 8 != 0)
        {
            permutations!.Fail($"must be a multiple of 8 (the signature is split into bands), not {p}");
        }

        return new CurationConfig
        {
            NearDuplicates = m.Get("near-duplicates")?.Bool() ?? d.NearDuplicates,
            NearDuplicateThreshold = m.Get("near-duplicate-threshold")?.Double(0.05, 1) ?? d.NearDuplicateThreshold,
            MinHashPermutations = permutationValue ?? d.MinHashPermutations,
            ShingleSize = m.Get("shingle-size")?.Int(1, 64) ?? d.ShingleSize,
            Benchmarks = m.Get("benchmarks")?.StringList(
                v => v == BuiltinBenchmarks.Keyword || v.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase) || v.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || v.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase),
                $"{BuiltinBenchmarks.Keyword} (the C# HumanEval and MBPP shipped with AutoRefiner) or a .jsonl or .parquet file") ?? d.Benchmarks,
            BenchmarkLocations = m.Get("benchmarks")?.ItemLocations() ?? d.BenchmarkLocations,
            BenchmarkNgram = m.Get("benchmark-ngram")?.Int(3, 100) ?? d.BenchmarkNgram,
            Secrets = m.Get("secrets")?.OneOf(CurationConfig.SecretActions, "an action") ?? d.Secrets,
            Licenses = m.Get("licenses")?.StringList(v => v.Length > 0 && v.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '+'), "an SPDX id (mit, GPL-2.0-or-later, …)") ?? d.Licenses,
            UnlicensedLocal = m.Get("unlicensed-local")?.OneOf(CurationConfig.UnlicensedActions, "an action") ?? d.UnlicensedLocal,
            MaxPerTemplate = m.Get("max-per-template")?.Int(0, 1_000_000) ?? d.MaxPerTemplate,
            MaxPerFile = m.Get("max-per-file")?.Int(0, 1_000_000) ?? d.MaxPerFile,
        };
    }

    private static ExportConfig ReadExport(Node? node, ExportConfig d)
    {
        if (node is null || node.IsNull)
        {
            return d;
        }

        var m = node.Mapping("out", "formats", "test-split", "compression", "row-group-rows", "shard-rows");
        var testSplit = m.Get("test-split");
        var split = testSplit?.Double(double.NegativeInfinity, double.PositiveInfinity);
        if (split is < 0 or >= 1)
        {
            testSplit!.Fail($"must be at least 0 and below 1 (a share of rows), not {split.Value.ToString(CultureInfo.InvariantCulture)}");
        }

        return new ExportConfig
        {
            Out = m.Get("out")?.NonEmptyString() ?? d.Out,
            Formats = m.Get("formats")?.NonEmptyChoiceList([.. ExportConfig.KnownFormats.Keys], "format").Select(f => ExportConfig.KnownFormats[f]).ToList() ?? d.Formats,
            TestSplit = split ?? d.TestSplit,
            Compression = m.Get("compression")?.OneOf([.. ExportConfig.KnownCompressions.Keys], "a codec") is { } codec ? ExportConfig.KnownCompressions[codec] : d.Compression,
            RowGroupRows = m.Get("row-group-rows")?.Int(100, 10_000_000) ?? d.RowGroupRows,
            ShardRows = m.Get("shard-rows")?.Int(100, 100_000_000) ?? d.ShardRows,
        };
    }

    private static HubConfig ReadHub(Node? node, HubConfig d)
    {
        if (node is null || node.IsNull)
        {
            return d;
        }

        var m = node.Mapping("repo", "private");
        var repo = m.Get("repo");
        var repoValue = repo?.OptionalString();
        if (repoValue is not null && HubNames.RepoIdProblem(repoValue) is { } problem)
        {
            repo!.Fail($"'{repoValue}' is not a Hub repository id: {problem}");
        }

        return new HubConfig
        {
            Repo = repoValue ?? d.Repo,
            Private = m.Get("private")?.Bool() ?? d.Private,
        };
    }

    private static Exception Innermost(Exception e) => e.InnerException is null ? e : Innermost(e.InnerException);

    /// <summary>A YAML node with the dotted key that leads to it, for messages.</summary>
    private sealed class Node(YamlNode yaml, string key, string file)
    {
        public bool IsNull => yaml is YamlScalarNode { Value: null } s && s.Style == ScalarStyle.Plain
                              || yaml is YamlScalarNode { Value: "~" or "null" or "" } t && t.Style == ScalarStyle.Plain;

        private int Line => (int)yaml.Start.Line;

        [System.Diagnostics.CodeAnalysis.DoesNotReturn]
        public void Fail(string problem) => throw AutoRefinerException.Config(file, Line, key, problem);

        public MappingView Mapping(params string[] allowed)
        {
            if (yaml is not YamlMappingNode map)
            {
                Fail($"must be a mapping of {string.Join(", ", allowed)}");
                return default!;
            }

            var children = new Dictionary<string, Node>(StringComparer.Ordinal);
            foreach (var (k, v) in map.Children)
            {
                var name = (k as YamlScalarNode)?.Value ?? "";
                var childKey = key is "(root)" ? name : $"{key}.{name}";
                if (!allowed.Contains(name))
                {
                    var hint = Closest(name, allowed);
                    throw AutoRefinerException.Config(file, (int)k.Start.Line, childKey,
                        $"unknown key{(hint is null ? "" : $"; did you mean '{hint}'?")} (allowed here: {string.Join(", ", allowed)})");
                }

                if (!children.TryAdd(name, new Node(v, childKey, file)))
                {
                    throw AutoRefinerException.Config(file, (int)k.Start.Line, childKey, "appears twice");
                }
            }

            return new MappingView(children);
        }

        private string Scalar(string expected)
        {
            if (yaml is not YamlScalarNode s || s.Value is null)
            {
                Fail($"must be {expected}, not a {Describe()}");
            }

            return ((YamlScalarNode)yaml).Value!;
        }

        private string Describe() => yaml switch
        {
            YamlMappingNode => "mapping",
            YamlSequenceNode => "list",
            _ => "value",
        };

        public string? OptionalString() => IsNull ? null : Scalar("a string");

        public string NonEmptyString()
        {
            var value = IsNull ? "" : Scalar("a string");
            if (string.IsNullOrWhiteSpace(value))
            {
                Fail("must not be empty");
            }

            return value;
        }

        public string OneOf(IReadOnlyList<string> allowed, string what)
        {
            var value = Scalar(what);
            if (!allowed.Contains(value))
            {
                Fail($"'{value}' is not {what}; supported: {string.Join(", ", allowed)}");
            }

            return value;
        }

        public int Int(int min, int max)
        {
            var text = Scalar("a whole number");
            if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            {
                Fail(long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _) || text.TrimStart('-', '+').All(char.IsAsciiDigit) && text.Length > 1
                    ? $"must be between {min} and {max}, not {text}"
                    : $"must be a whole number, not '{text}'");
            }

            if (value < min || value > max)
            {
                Fail($"must be between {min} and {max}, not {value}");
            }

            return value;
        }

        public double Double(double min, double max)
        {
            var text = Scalar("a number");
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
            {
                Fail($"must be a number, not '{text}'");
            }

            if (value < min || value > max)
            {
                Fail($"must be between {min.ToString(CultureInfo.InvariantCulture)} and {max.ToString(CultureInfo.InvariantCulture)}, not {text}");
            }

            return value;
        }

        /// <summary>The entries of a mapping whose keys are names the user chooses (model ids, …).</summary>
        public IEnumerable<(string Name, Node Value)> Entries(string what)
        {
            if (yaml is not YamlMappingNode map)
            {
                Fail($"must be a mapping of {what} to its settings, not a {Describe()}");
                yield break;
            }

            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (k, v) in map.Children)
            {
                var name = (k as YamlScalarNode)?.Value ?? "";
                var childKey = $"{key}.{name}";
                if (string.IsNullOrWhiteSpace(name))
                {
                    throw AutoRefinerException.Config(file, (int)k.Start.Line, childKey, $"must be {what}");
                }

                if (!seen.Add(name))
                {
                    throw AutoRefinerException.Config(file, (int)k.Start.Line, childKey, "appears twice");
                }

                yield return (name, new Node(v, childKey, file));
            }
        }

        [System.Diagnostics.CodeAnalysis.DoesNotReturn]
        public T Missing<T>(string name, string what) =>
            throw AutoRefinerException.Config(file, Line, key, $"needs '{name}' ({what})");

        public bool Bool()
        {
            var text = Scalar("true or false");
            return text switch
            {
                "true" or "True" or "TRUE" or "yes" => true,
                "false" or "False" or "FALSE" or "no" => false,
                _ => throw AutoRefinerException.Config(file, Line, key, $"must be true or false, not '{text}'"),
            };
        }

        /// <summary>Where each item of a list is written: <c>file:line</c>.</summary>
        public List<string> ItemLocations() =>
            yaml is YamlSequenceNode seq ? [.. seq.Children.Select(c => $"{file}:{c.Start.Line}")] : [];

        public List<string> StringList(Func<string, bool> valid, string what)
        {
            if (IsNull)
            {
                return [];
            }

            if (yaml is not YamlSequenceNode seq)
            {
                Fail($"must be a list (e.g. [a, b]), not a {Describe()}");
                return default!;
            }

            var list = new List<string>(seq.Children.Count);
            // A set, not list.Contains: a list of 100,000 repositories would otherwise take minutes to load.
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < seq.Children.Count; i++)
            {
                var item = new Node(seq.Children[i], $"{key}[{i}]", file);
                var value = item.Scalar(what);
                if (string.IsNullOrWhiteSpace(value) || !valid(value))
                {
                    item.Fail($"'{value}' is not {what}");
                }

                if (!seen.Add(value))
                {
                    item.Fail($"'{value}' is listed twice");
                }

                list.Add(value);
            }

            return list;
        }

        public List<string> NonEmptyChoiceList(IReadOnlyList<string> allowed, string what)
        {
            var list = StringList(allowed.Contains, $"one of {string.Join(", ", allowed)}");
            if (list.Count == 0)
            {
                Fail($"needs at least one {what}");
            }

            return list;
        }

        private static string? Closest(string name, string[] allowed)
        {
            var best = allowed.Select(a => (a, d: Distance(name, a))).MinBy(x => x.d);
            return best.d <= Math.Max(2, name.Length / 3) ? best.a : null;
        }

        private static int Distance(string a, string b)
        {
            var prev = new int[b.Length + 1];
            var cur = new int[b.Length + 1];
            for (var j = 0; j <= b.Length; j++)
            {
                prev[j] = j;
            }

            for (var i = 1; i <= a.Length; i++)
            {
                cur[0] = i;
                for (var j = 1; j <= b.Length; j++)
                {
                    cur[j] = Math.Min(Math.Min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
                }

                (prev, cur) = (cur, prev);
            }

            return prev[b.Length];
        }
    }

    private sealed class MappingView(Dictionary<string, Node> children)
    {
        public Node? Get(string name) => children.GetValueOrDefault(name);
    }
}
