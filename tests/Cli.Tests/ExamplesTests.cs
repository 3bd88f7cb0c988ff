using System.Diagnostics;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace AutoRefiner.Cli.Tests;

/// <summary>
/// The scheduling and sharding examples in docs/examples are checked for what their platform needs and their
/// `autorefiner` commands are run as written (paths mapped into a temporary folder).
/// </summary>
public sealed partial class ExamplesTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string Example(string name) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Examples", name));

    /// <summary>A project folder as the examples assume: harvest.yml beside the sources; the state in .autorefiner/.</summary>
    private string Project(int repositories = 1)
    {
        for (var r = 0; r < repositories; r++)
        {
            _dir.Write($"project/src/lib{r}/Ops{r}.cs", $"public static class Ops{r}\n{{\n    /// <summary>Returns the argument plus {r}; the sum wraps round on overflow.</summary>\n    public static int Add(int x) => x + {r};\n\n    /// <summary>Multiplies the argument by two then adds {r}, wrapping round on overflow.</summary>\n    public static int Twice(int x) => (2 * x) + {r};\n}}\n");
        }

        var local = string.Join(", ", Enumerable.Range(0, repositories).Select(r => $"src/lib{r}"));
        return _dir.Write("project/harvest.yml", $"sources:\n  local: [{local}]\ncuration:\n  near-duplicates: false\n");
    }

    /// <summary>Runs the `autorefiner …` part of a command line with its paths mapped.</summary>
    private static async Task<CliRunner.Result> RunAsync(string commandLine, Func<string, string> map)
    {
        var start = commandLine.IndexOf("autorefiner ", StringComparison.Ordinal);
        Assert.True(start >= 0, $"no autorefiner command in: {commandLine}");
        var words = commandLine[(start + "autorefiner ".Length)..].Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var args = words.TakeWhile(w => w is not (">>" or "&&" or "|" or "2>&1")).Select(map).ToArray();
        return await CliRunner.RunAsync(args);
    }

    private static void AssertCron(string expression)
    {
        var fields = expression.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(5, fields.Length);
        Assert.All(fields, f => Assert.Matches(CronField(), f));
    }

    [GeneratedRegex(@"^(\*|\d+(-\d+)?)(/\d+)?(,(\*|\d+(-\d+)?)(/\d+)?)*$")]
    private static partial Regex CronField();

    [Fact]
    public async Task GitHubActions_RunsWeekly_CarriesTheStateStore_AndItsCommandRefreshes()
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(Example("refresh-github-actions.yml")));
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        var on = (YamlMappingNode)root["on"];
        AssertCron(((YamlScalarNode)((YamlMappingNode)((YamlSequenceNode)on["schedule"])[0])["cron"]).Value!);
        Assert.Equal("false", ((YamlScalarNode)((YamlMappingNode)root["concurrency"])["cancel-in-progress"]).Value);
        var steps = ((YamlSequenceNode)((YamlMappingNode)((YamlMappingNode)root["jobs"])["refresh"])["steps"]).Children.Cast<YamlMappingNode>().ToList();
        string? Scalar(YamlMappingNode step, params string[] path)
        {
            YamlNode node = step;
            foreach (var key in path)
            {
                if (node is not YamlMappingNode map || !map.Children.TryGetValue(new YamlScalarNode(key), out var next))
                {
                    return null;
                }

                node = next;
            }

            return (node as YamlScalarNode)?.Value;
        }

        var restore = Assert.Single(steps, s => Scalar(s, "uses")?.StartsWith("actions/cache/restore", StringComparison.Ordinal) == true);
        var save = Assert.Single(steps, s => Scalar(s, "uses")?.StartsWith("actions/cache/save", StringComparison.Ordinal) == true);
        Assert.Equal(".autorefiner", Scalar(restore, "with", "path"));
        Assert.Equal(".autorefiner", Scalar(save, "with", "path"));
        Assert.Equal("always()", Scalar(save, "if"));
        Assert.True(steps.IndexOf(restore) < steps.IndexOf(save));
        var run = Assert.Single(steps, s => Scalar(s, "run")?.Contains("autorefiner refresh", StringComparison.Ordinal) == true);

        var config = Project();
        var project = Path.GetDirectoryName(config)!;
        string Map(string word) => word switch
        {
            "harvest.yml" => config,
            "out" => Path.Combine(project, "out"),
            _ => word,
        };
        var first = await RunAsync(Scalar(run, "run")!, Map);
        var second = await RunAsync(Scalar(run, "run")!, Map);

        Assert.True(first.ExitCode == 0, first.Output + first.Errors);
        Assert.Equal(0, second.ExitCode);
        Assert.True(File.Exists(Path.Combine(project, ".autorefiner", "state.db")), "the state is not where the workflow caches it");
        Assert.Contains("refresh: 0 new rows; 2 samples reused from earlier runs", second.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cron_IsAValidLine_AndItsCommandRefreshes()
    {
        var line = Example("refresh.cron").Split('\n').Single(l => l.Length > 0 && !l.StartsWith('#'));
        var fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
        AssertCron(string.Join(' ', fields[..5]));
        var config = Project();

        var result = await RunAsync(fields[5], w => w switch { "harvest.yml" => config, "out" => _dir.Combine("project/out"), _ => w });

        Assert.True(result.ExitCode == 0, result.Output + result.Errors);
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task Systemd_TheUnitsVerify_AndTheServiceCommandRefreshes()
    {
        var service = Example("autorefiner-refresh.service");
        var timer = Example("autorefiner-refresh.timer");
        var stand_in = _dir.Write("bin/autorefiner", "#!/bin/sh\nexit 0\n");
        File.SetUnixFileMode(stand_in, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var units = Directory.CreateDirectory(_dir.Combine("units")).FullName;
        File.WriteAllText(Path.Combine(units, "autorefiner-refresh.service"), service.Replace("/usr/local/bin/autorefiner", stand_in, StringComparison.Ordinal));
        File.WriteAllText(Path.Combine(units, "autorefiner-refresh.timer"), timer);

        var verify = Process.Start(new ProcessStartInfo("systemd-analyze", ["verify", Path.Combine(units, "autorefiner-refresh.service"), Path.Combine(units, "autorefiner-refresh.timer")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var problems = await verify.StandardError.ReadToEndAsync();
        await verify.WaitForExitAsync();
        Assert.True(verify.ExitCode == 0, problems);
        Assert.Contains("Persistent=true", timer, StringComparison.Ordinal);

        var exec = service.Split('\n').Single(l => l.StartsWith("ExecStart=", StringComparison.Ordinal));
        var config = Project();
        var result = await RunAsync(exec, w => w switch { "harvest.yml" => config, "out" => _dir.Combine("project/out"), _ => w });
        Assert.True(result.ExitCode == 0, result.Output + result.Errors);
    }

    [Fact]
    public async Task Kubernetes_AnIndexedJobOfThreeShards_AndItsMerge_GiveTheIdsOfOneRun()
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(Example("shards-kubernetes.yml")));
        Assert.Equal(2, yaml.Documents.Count);
        var harvestSpec = (YamlMappingNode)((YamlMappingNode)yaml.Documents[0].RootNode)["spec"];
        Assert.Equal("Indexed", ((YamlScalarNode)harvestSpec["completionMode"]).Value);
        Assert.Equal("3", ((YamlScalarNode)harvestSpec["completions"]).Value);
        string Command(YamlDocument document)
        {
            var container = (YamlMappingNode)((YamlSequenceNode)((YamlMappingNode)((YamlMappingNode)((YamlMappingNode)document.RootNode)["spec"])["template"])["spec"]["containers"])[0];
            return ((YamlScalarNode)((YamlSequenceNode)container["args"])[0]).Value!;
        }

        var config = Project(repositories: 6);
        var data = Directory.CreateDirectory(_dir.Combine("data")).FullName;
        Func<string, string> Map(int index) => w => w
            .Replace("$JOB_COMPLETION_INDEX", index.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("/config/harvest.yml", config, StringComparison.Ordinal)
            .Replace("/data/", data + "/", StringComparison.Ordinal);

        for (var i = 0; i < 3; i++)
        {
            var shard = await RunAsync(Command(yaml.Documents[0]), Map(i));
            Assert.True(shard.ExitCode == 0, shard.Output + shard.Errors);
        }

        var merge = await RunAsync(Command(yaml.Documents[1]), Map(0));
        Assert.True(merge.ExitCode == 0, merge.Output + merge.Errors);

        var whole = await CliRunner.RunAsync(["harvest", "--config", config, "--out", _dir.Combine("whole"), "--state", _dir.Combine("whole.db")]);
        Assert.Equal(0, whole.ExitCode);
        Assert.Equal(
            CliRunner.ReadAllJsonlRows(_dir.Combine("whole")).Select(r => r.GetProperty("id").GetString()).Order(StringComparer.Ordinal),
            CliRunner.ReadAllJsonlRows(Path.Combine(data, "merged")).Select(r => r.GetProperty("id").GetString()).Order(StringComparer.Ordinal));
        Assert.True(File.Exists(Path.Combine(data, "state.db")));
    }
}
