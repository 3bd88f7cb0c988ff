using AutoRefiner.Config;
using AutoRefiner.Core;
using AutoRefiner.Core.Config;

namespace AutoRefiner.Core.Tests.Config;

public sealed class ConfigLoaderTests
{
    private static HarvestConfig Parse(string yaml) => ConfigLoader.Parse(yaml, "harvest.yml", "/base");

    private static AutoRefinerException Fails(string yaml) => Assert.Throws<AutoRefinerException>(() => Parse(yaml));

    [Fact]
    public void Load_TheRepositoryDefaultFile_GivesTheDocumentedValues()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Data", "harvest.yml");

        var config = ConfigLoader.Load(path);

        Assert.Equal("csharp", config.Lang);
        Assert.Equal(["src"], config.Sources.Local);
        Assert.Null(config.Sources.GitHub.Query);
        Assert.Equal(["mit", "apache-2.0", "bsd-2-clause", "bsd-3-clause"], config.Sources.GitHub.Licenses);
        Assert.Equal(50, config.Sources.GitHub.MaxRepos);
        Assert.Equal(15, config.Sources.GitHub.MaxWaitMinutes);
        Assert.Equal(["instruct", "doc-comments"], config.Generation.Tasks);
        Assert.Equal(0.05, config.Export.TestSplit);
        Assert.Equal(ParquetCodec.Zstd, config.Export.Compression);
        Assert.Equal("OPENAI_API_KEY", config.Llm.ApiKeyEnv);
        Assert.Equal(1024, config.Validation.MemoryMb);
        Assert.Equal((20, 0.5), (config.Validation.Mutants, config.Validation.MinMutationScore));
        Assert.Equal((3, 3), (config.Curation.MaxPerTemplate, config.Curation.MaxPerFile));
        Assert.Equal(Path.GetDirectoryName(path), config.BaseDirectory);
    }

    [Fact]
    public void Parse_FamilyCaps_AreReadAndZeroMeansNoCap()
    {
        var config = Parse("curation:\n  max-per-template: 0\n  max-per-file: 7\n");

        Assert.Equal((0, 7), (config.Curation.MaxPerTemplate, config.Curation.MaxPerFile));
        Assert.Equal((3, 3), (Parse("").Curation.MaxPerTemplate, Parse("").Curation.MaxPerFile));
    }

    [Fact]
    public void Parse_ValidationMemoryMb_IsTheWorkersHeapCap()
    {
        var config = Parse("validation:\n  memory-mb: 2048\n");

        Assert.Equal(2048, config.Validation.MemoryMb);
    }

    [Fact]
    public void Parse_MutationKeys_AreReadAndDefaultToTwentyMutantsAndHalf()
    {
        var config = Parse("validation:\n  mutants: 7\n  min-mutation-score: 0.8\n");

        Assert.Equal((7, 0.8), (config.Validation.Mutants, config.Validation.MinMutationScore));
        Assert.Equal((20, 0.5), (Parse("").Validation.Mutants, Parse("").Validation.MinMutationScore));
    }

    [Fact]
    public void Parse_EmptyFile_GivesDefaults()
    {
        var config = Parse("");

        Assert.Equal("csharp", config.Lang);
        Assert.Empty(config.Sources.Local);
        Assert.Equal("out", config.Export.Out);
        Assert.Equal([ExportFormat.Parquet, ExportFormat.Jsonl], config.Export.Formats);
        Assert.Equal("/base", config.BaseDirectory);
    }

    [Fact]
    public void Parse_PartialSections_KeepDefaultsForTheRest()
    {
        var config = Parse("export:\n  test-split: 0.1\nllm:\n  concurrency: 3\n");

        Assert.Equal(0.1, config.Export.TestSplit);
        Assert.Equal([ExportFormat.Parquet, ExportFormat.Jsonl], config.Export.Formats);
        Assert.Equal(3, config.Llm.Concurrency);
        Assert.Equal("OPENAI_API_KEY", config.Llm.ApiKeyEnv);
    }

    [Fact]
    public void Parse_UnknownTopLevelKey_NamesFileLineAndKeyWithASuggestion()
    {
        var e = Fails("lang: csharp\nexprot:\n  out: x\n");

        Assert.Equal(FailureKind.Usage, e.Kind);
        Assert.StartsWith("harvest.yml:2: exprot: unknown key; did you mean 'export'?", e.Message);
    }

    [Fact]
    public void Parse_UnknownNestedKey_NamesTheDottedKey()
    {
        var e = Fails("sources:\n  github:\n    max-repo: 5\n");

        Assert.StartsWith("harvest.yml:3: sources.github.max-repo: unknown key; did you mean 'max-repos'?", e.Message);
    }

    [Fact]
    public void Parse_WrongType_NamesTheKeyAndTheValue()
    {
        var e = Fails("llm:\n  concurrency: lots\n");

        Assert.Equal("harvest.yml:2: llm.concurrency: must be a whole number, not 'lots'", e.Message);
    }

    [Fact]
    public void Parse_ListWhereAScalarIsExpected_IsAnError()
    {
        var e = Fails("lang: [csharp]\n");

        Assert.StartsWith("harvest.yml:1: lang: must be a supported language, not a list", e.Message);
    }

    [Fact]
    public void Parse_ScalarWhereAListIsExpected_IsAnError()
    {
        var e = Fails("export:\n  formats: parquet\n");

        Assert.StartsWith("harvest.yml:2: export.formats: must be a list", e.Message);
    }

    [Theory]
    [InlineData("export:\n  test-split: 1.5\n", "harvest.yml:2: export.test-split: must be at least 0 and below 1")]
    [InlineData("llm:\n  concurrency: 0\n", "harvest.yml:2: llm.concurrency: must be between 1 and 1024, not 0")]
    [InlineData("sources:\n  github:\n    max-repos: 99999999999999999999999\n", "harvest.yml:3: sources.github.max-repos: must be between 0 and 100000, not 99999999999999999999999")]
    [InlineData("validation:\n  timeout-seconds: -1\n", "harvest.yml:2: validation.timeout-seconds: must be between 1 and 3600, not -1")]
    [InlineData("validation:\n  memory-mb: 16\n", "harvest.yml:2: validation.memory-mb: must be between 64 and 65536, not 16")]
    [InlineData("validation:\n  mutants: -3\n", "harvest.yml:2: validation.mutants: must be between 0 and 1000, not -3")]
    [InlineData("validation:\n  tests: true\n  mutants: many\n", "harvest.yml:3: validation.mutants: must be a whole number, not 'many'")]
    [InlineData("validation:\n  min-mutation-score: 1.5\n", "harvest.yml:2: validation.min-mutation-score: must be between 0 and 1, not 1.5")]
    [InlineData("lang: cobol\n", "harvest.yml:1: lang: 'cobol' is not a supported language; supported: csharp")]
    [InlineData("generation:\n  tasks: [instruct, poetry]\n", "harvest.yml:2: generation.tasks[1]: 'poetry' is not one of instruct, doc-comments, tests")]
    [InlineData("generation:\n  tasks: []\n", "harvest.yml:2: generation.tasks: needs at least one task")]
    [InlineData("generation:\n  tasks: [instruct]\n  candidates: 0\n", "harvest.yml:3: generation.candidates: must be between 1 and 16, not 0")]
    [InlineData("generation:\n  candidates: three\n", "harvest.yml:2: generation.candidates: must be a whole number, not 'three'")]
    [InlineData("export:\n  compression: lzma\n", "harvest.yml:2: export.compression: 'lzma' is not a codec; supported: zstd, snappy, gzip, none")]
    [InlineData("sources:\n  github:\n    repos: [not-a-repo]\n", "harvest.yml:3: sources.github.repos[0]: 'not-a-repo' is not owner/name")]
    [InlineData("sources:\n  github:\n    licenses: [MIT]\n", "harvest.yml:3: sources.github.licenses[0]: 'MIT' is not a lower-case SPDX id")]
    [InlineData("llm:\n  endpoint: ftp://x\n", "harvest.yml:2: llm.endpoint: must be an http(s) URL")]
    [InlineData("hub:\n  repo: justname\n", "harvest.yml:2: hub.repo: 'justname' is not a Hub repository id: must be owner/name (one slash)")]
    [InlineData("hub:\n  repo: ../x\n", "harvest.yml:2: hub.repo: '../x' is not a Hub repository id: the owner must not hold '--' or '..'")]
    [InlineData("hub:\n  repo: 'me/ds?x=1'\n", "harvest.yml:2: hub.repo: 'me/ds?x=1' is not a Hub repository id: the name may hold only letters, digits, '-', '_' and '.'")]
    [InlineData("llm:\n  model: m\n  api-key-env: sk-proj-Ab12Cd34Ef56\n", "harvest.yml:3: llm.api-key-env: must be the name of an environment variable")]
    [InlineData("llm:\n  model: m\n  api-key-env: gsk_abcdefghijklmnopqrstuvwxyz1234567890ABCDEFGHIJ\n", "harvest.yml:3: llm.api-key-env: must be the name of an environment variable")]
    [InlineData("validation:\n  tests: maybe\n", "harvest.yml:2: validation.tests: must be true or false, not 'maybe'")]
    [InlineData("state: ''\n", "harvest.yml:1: state: must not be empty")]
    [InlineData("generation:\n  tasks: [doc-comments, doc-comments]\n", "harvest.yml:2: generation.tasks[1]: 'doc-comments' is listed twice")]
    [InlineData("sources:\n  github:\n    max-wait-minutes: -5\n", "harvest.yml:3: sources.github.max-wait-minutes: must be between 0 and 1440, not -5")]
    [InlineData("llm:\n  temperature: -0.5\n", "harvest.yml:2: llm.temperature: must be between 0 and 2, not -0.5")]
    [InlineData("llm:\n  prices:\n    gpt-x: {input: 1}\n", "harvest.yml:3: llm.prices.gpt-x: needs 'output' (price per million completion tokens)")]
    [InlineData("llm:\n  prices:\n    gpt-x: {input: 1, output: 2, cached: 3}\n", "harvest.yml:3: llm.prices.gpt-x.cached: unknown key")]
    [InlineData("llm:\n  prices:\n    gpt-x: {input: cheap, output: 2}\n", "harvest.yml:3: llm.prices.gpt-x.input: must be a number, not 'cheap'")]
    [InlineData("llm:\n  max-tokens-field: max_new_tokens\n", "harvest.yml:2: llm.max-tokens-field: 'max_new_tokens' is not a token-limit field; supported: auto, max_completion_tokens, max_tokens, both")]
    [InlineData("llm:\n  prices: [gpt-x]\n", "harvest.yml:2: llm.prices: must be a mapping of a model id to its settings, not a list")]
    [InlineData("llm:\n  model: m\n  max-cost: 3\n", "harvest.yml:3: llm.max-cost: needs a price for model 'm' in llm.prices")]
    [InlineData("llm:\n  max-tokens-total: 0\n", "harvest.yml:2: llm.max-tokens-total:")]
    [InlineData("curation:\n  max-per-template: -1\n", "harvest.yml:2: curation.max-per-template: must be between 0 and 1000000, not -1")]
    [InlineData("curation:\n  near-duplicates: true\n  max-per-file: few\n", "harvest.yml:3: curation.max-per-file: must be a whole number, not 'few'")]
    [InlineData("curation:\n  benchmarks:\n    - humaneval.txt\n", "harvest.yml:3: curation.benchmarks[0]: 'humaneval.txt' is not builtin (the C# HumanEval and MBPP shipped with AutoRefiner) or a .jsonl or .parquet file")]
    public void Parse_ImpossibleValue_NamesLineKeyAndProblem(string yaml, string expected)
    {
        var e = Fails(yaml);

        // A key pasted where its variable's name belongs is never echoed.
        Assert.DoesNotContain("sk-proj", e.Message, StringComparison.Ordinal);

        Assert.Equal(FailureKind.Usage, e.Kind);
        Assert.StartsWith(expected, e.Message);
    }

    [Fact]
    public void Parse_LlmSettings_AreRead()
    {
        var config = Parse("""
            llm:
              endpoint: http://localhost:11434/v1
              model: qwen2.5-coder:7b
              temperature: 0.2
              max-tokens: 4096
              seed: 7
              timeout-seconds: 600
              max-retries: 2
              prices:
                qwen2.5-coder:7b: {input: 0, output: 0}
                gpt-4o-mini: {input: 0.15, output: 0.6}
            """);

        Assert.Equal(("http://localhost:11434/v1", "qwen2.5-coder:7b"), (config.Llm.Endpoint, config.Llm.Model));
        Assert.Equal((0.2, 4096, 7, 600, 2), (config.Llm.Temperature, config.Llm.MaxTokens, config.Llm.Seed, config.Llm.TimeoutSeconds, config.Llm.MaxRetries));
        Assert.Equal(new TokenPrice(0.15, 0.6), config.Llm.Prices["gpt-4o-mini"]);
        Assert.Equal(0.0, config.Llm.Prices["qwen2.5-coder:7b"].Output);
        Assert.Equal(0.75, Pricing.Estimate(config.Llm, "gpt-4o-mini", 1_000_000, 1_000_000));
        Assert.Null(Pricing.Estimate(config.Llm, "unknown", 1, 1));
    }

    [Fact]
    public void Parse_NoLlmSettings_GivesTheDefaults()
    {
        var llm = Parse("").Llm;

        Assert.Equal((0.7, 2048, (int?)null, 300, 6, 8), (llm.Temperature, llm.MaxTokens, llm.Seed, llm.TimeoutSeconds, llm.MaxRetries, llm.Concurrency));
        Assert.Empty(llm.Prices);
    }

    [Fact]
    public void Parse_DuplicateKey_IsAnError()
    {
        var e = Fails("lang: csharp\nlang: csharp\n");

        Assert.Contains("lang", e.Message, StringComparison.Ordinal);
        Assert.StartsWith("harvest.yml:", e.Message);
    }

    [Fact]
    public void Parse_BrokenYaml_NamesTheFileAndLine()
    {
        var e = Fails("sources:\n  local: [src]\n export: {}\n");

        Assert.Equal(FailureKind.Usage, e.Kind);
        Assert.StartsWith("harvest.yml: line 3, column ", e.Message);
        Assert.Contains("not valid YAML", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UnclosedFlowList_IsAUsageErrorNamingTheLineAndKeyThatOpenedIt()
    {
        var e = Fails("sources:\n  local: [src\nexport: {}\n");

        Assert.Equal(FailureKind.Usage, e.Kind);
        Assert.Equal("harvest.yml:2: sources.local: not valid YAML: the '[' on this line is never closed (add the ']')", e.Message);
    }

    [Fact]
    public void Parse_RootIsAList_IsAnError()
    {
        var e = Fails("- a\n- b\n");

        Assert.StartsWith("harvest.yml:1: (root): must be a mapping", e.Message);
    }

    [Fact]
    public void Load_MissingFile_IsAUsageErrorNamingIt()
    {
        var e = Assert.Throws<AutoRefinerException>(() => ConfigLoader.Load("/nonexistent/harvest.yml"));

        Assert.Equal(FailureKind.Usage, e.Kind);
        Assert.StartsWith("/nonexistent/harvest.yml: cannot read the configuration file", e.Message);
    }

    [Fact]
    public void ResolvePath_RelativePaths_AreRelativeToTheConfigFile()
    {
        var config = Parse("sources:\n  local: [src, /abs]\n");

        Assert.Equal("/base/src", config.ResolvePath(config.Sources.Local[0]));
        Assert.Equal("/abs", config.ResolvePath(config.Sources.Local[1]));
    }

    [Fact]
    public void ResolvePath_ATilde_IsTheHomeFolder_NotAFolderNamedTilde()
    {
        var config = Parse("state: ~/ar/state.db\nexport:\n  out: ~/ds\nsources:\n  local: ['~', '~x']\n");
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

        Assert.Equal(Path.Combine(home, "ds"), config.ResolvePath(config.Export.Out));
        Assert.Equal(Path.Combine(home, "ar", "state.db"), config.ResolvePath(config.State));
        Assert.Equal(home, config.ResolvePath(config.Sources.Local[0]));
        Assert.Equal("/base/~x", config.ResolvePath(config.Sources.Local[1])); // ~user is not expanded: a plain name
    }

    [Fact]
    public void ConfigHash_DependsOnValuesNotOnWhereTheFileIs()
    {
        var a = ConfigLoader.Parse("export:\n  test-split: 0.1\n", "a.yml", "/one");
        var b = ConfigLoader.Parse("export:\n  test-split: 0.1\n", "b.yml", "/two");
        var c = ConfigLoader.Parse("export:\n  test-split: 0.2\n", "a.yml", "/one");

        Assert.Equal(ConfigHash.Of(a), ConfigHash.Of(b));
        Assert.Equal(ConfigHash.Of(a), ConfigHash.Of(a with { Export = a.Export with { Out = "/elsewhere" }, State = "/tmp/s.db" }));
        Assert.NotEqual(ConfigHash.Of(a), ConfigHash.Of(c));
        Assert.Matches("^[0-9a-f]{64}$", ConfigHash.Of(a));
    }

    [Fact]
    public void Parse_SecondDocument_IsAnErrorNotSilentlyIgnored()
    {
        var e = Fails("lang: csharp\n---\nexport:\n  out: elsewhere\n");

        Assert.StartsWith("harvest.yml: line 3: a second YAML document", e.Message);
    }

    [Fact]
    public void Parse_BenchmarkFiles_KeepWhereTheyAreWritten_AndNeedNotExistYet()
    {
        var curation = Parse("curation:\n  benchmarks:\n    - evals/a.jsonl\n    - evals/b.parquet\n").Curation;

        Assert.Equal(["evals/a.jsonl", "evals/b.parquet"], curation.Benchmarks);
        Assert.Equal(["harvest.yml:3", "harvest.yml:4"], curation.BenchmarkLocations);
    }

    [Fact]
    public void Parse_CurationLicences_TakeSpdxIdsAsSpdxWritesThem()
    {
        Assert.Equal(["mit", "GPL-2.0-or-later"], Parse("curation:\n  licenses: [mit, GPL-2.0-or-later]\n").Curation.Licenses);
    }

    [Fact]
    public void Parse_CurationLicenceThatIsNoId_IsRefusedWithItsLine()
    {
        var e = Assert.Throws<AutoRefinerException>(() => Parse("curation:\n  licenses: [\"the MIT one\"]\n"));

        Assert.Contains("harvest.yml:2: curation.licenses[0]: 'the MIT one' is not an SPDX id", e.Message, StringComparison.Ordinal);
    }
}
