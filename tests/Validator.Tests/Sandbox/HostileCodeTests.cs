using System.Net;
using System.Net.Sockets;
using AutoRefiner.Core.Model;
using AutoRefiner.Validator.Sandbox;

namespace AutoRefiner.Validator.Tests.Sandbox;

/// <summary>
/// Generated code that tries to harm the machine: each case is contained, gets the right verdict, and the next sample
/// still runs. The deny-list catches most of it before anything runs; the OS layers are tested on their own below by
/// sending assemblies that skip the deny-list.
/// </summary>
public sealed class HostileCodeTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    private const string Empty = "public static class Nothing { }";

    private Task<Judged> JudgeTestAsync(string body, string usings = "") => JudgeTestAsync(sandbox, body, usings);

    /// <summary>Judges a test with <paramref name="body"/>, then checks that <paramref name="sandbox"/> still works.</summary>
    internal static async Task<Judged> JudgeTestAsync(SandboxFixture sandbox, string body, string usings = "")
    {
        var judged = await sandbox.JudgeAsync(Empty, $$"""
            {{usings}}
            public class HostileTests
            {
                [Fact]
                public {{(body.Contains("await ", StringComparison.Ordinal) ? "async Task" : "void")}} Hostile()
                {
                    {{body}}
                }
            }
            """);

        // Whatever happened, the sandbox still works for the next sample.
        var next = await sandbox.JudgeAsync("public static class Ok { public static int One() => 1; }", "public class OkTests { [Fact] public void One() => Assert.Equal(1, Ok.One()); }");
        Assert.Equal(Verdict.Passed, next.Verdict);
        return judged;
    }

    [Fact]
    public async Task DeepRecursion_IsACrashFromStackOverflow()
    {
        var judged = await sandbox.JudgeAsync(
            "public static class Deep { public static int Down(int n) => Down(n + 1) + 1; }",
            "public class DeepTests { [Fact] public void Recurse() => Assert.Equal(0, Deep.Down(0)); }");

        Assert.Equal(Verdict.Crashed, judged.Verdict);
        Assert.Contains("stack overflow", judged.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AllocatingUntilOutOfMemory_IsACrash()
    {
        var judged = await JudgeTestAsync("var hoard = new List<byte[]>(); while (true) { hoard.Add(new byte[8 * 1024 * 1024]); hoard[^1][0] = 1; }");

        Assert.Equal(Verdict.Crashed, judged.Verdict);
        Assert.Contains("OutOfMemory", judged.Detail, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("the heap cap is 128 MB: validation.memory-mb", judged.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Environment.Exit(3);", "System.Environment.Exit(int)", "ending the process")]
    [InlineData("Environment.FailFast(\"bye\");", "System.Environment.FailFast(string?)", "ending the process")]
    [InlineData("System.IO.File.WriteAllText(\"/etc/autorefiner-was-here\", \"x\");", "System.IO.File", "file system access")]
    [InlineData("System.IO.File.Delete(\"/etc/hostname\");", "System.IO.File", "file system access")]
    [InlineData("new System.IO.DirectoryInfo(\"/\").Delete(true);", "System.IO.DirectoryInfo", "file system access")]
    [InlineData("using var w = new System.IO.StreamWriter(\"/tmp/x\");", "System.IO.StreamWriter.StreamWriter(string)", "file system access")]
    [InlineData("using var s = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);", "System.Net.Sockets.Socket", "networking")]
    [InlineData("using var c = new System.Net.Http.HttpClient();", "System.Net.Http.HttpClient", "networking")]
    [InlineData("System.Diagnostics.Process.Start(\"sh\", \"-c 'echo pwned'\");", "System.Diagnostics.Process", "starting processes")]
    [InlineData("Environment.SetEnvironmentVariable(\"PATH\", \"\");", "System.Environment.SetEnvironmentVariable(string, string?)", "changing the environment")]
    [InlineData("var t = Type.GetType(\"System.IO.File\");", "System.Type.GetType(string)", "reaching types by name")]
    [InlineData("System.Reflection.Assembly.LoadFrom(\"/tmp/evil.dll\");", "System.Reflection.Assembly", "reaching other assemblies")]
    [InlineData("var m = typeof(string).GetMethod(\"Copy\"); m!.Invoke(null, [\"a\"]);", "Invoke(", "reflection invocation")]
    [InlineData("var v = typeof(string).GetField(\"Empty\")!.GetValue(null);", "GetValue(", "reflection invocation")]
    [InlineData("var o = Activator.CreateInstance(typeof(System.Text.StringBuilder));", "CreateInstance(", "reflection invocation")]
    [InlineData("var m = typeof(HostileTests).BaseType!.GetMethod(\"MemberwiseClone\", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!; m.Invoke(this, null);", "Invoke(", "reflection invocation")]
    [InlineData("var c = typeof(Nothing).GetConstructors()[0]; c = typeof(System.Text.StringBuilder).GetConstructors()[0]; c.Invoke(null);", "Invoke(", "reflection invocation")]
    [InlineData("var b = new System.Reflection.Emit.DynamicMethod(\"x\", null, null);", "System.Reflection.Emit.DynamicMethod", "reflection emit")]
    [InlineData("System.Runtime.InteropServices.Marshal.AllocHGlobal(16);", "System.Runtime.InteropServices.Marshal", "native memory")]
    [InlineData("Console.OpenStandardOutput().WriteByte(1);", "System.Console.OpenStandardOutput()", "the worker's own streams")]
    [InlineData("var types = typeof(System.IO.Path).Assembly.DefinedTypes;", "System.Reflection.Assembly", "reaching other assemblies")]
    [InlineData("System.IO.Compression.ZipFile.Open(\"/tmp/x.zip\", System.IO.Compression.ZipArchiveMode.Create);", "System.IO.Compression.ZipFile", "file system access")]
    [InlineData("new System.Xml.Linq.XDocument().Save(\"/tmp/x.xml\");", "System.Xml.Linq.XDocument.Save(string)", "file system access")]
    public async Task DeniedApis_AreBannedApiNamingTheSymbol_BeforeAnythingRuns(string body, string symbol, string why)
    {
        var judged = await JudgeTestAsync(body);

        Assert.Equal(Verdict.BannedApi, judged.Verdict);
        Assert.Contains(symbol, judged.Detail, StringComparison.Ordinal);
        Assert.Contains($"({why})", judged.Detail, StringComparison.Ordinal);
        Assert.Contains("Tests.cs(", judged.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LateBinding_IsBannedApi_SinceTheDenyListCannotSeeThroughIt()
    {
        var judged = await JudgeTestAsync("dynamic target = \"x\"; var n = target.Length;");

        Assert.Equal(Verdict.BannedApi, judged.Verdict);
        Assert.Contains("`dynamic` (late binding)", judged.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMemberDataSourceThatThrows_IsATestFailureNotACrash()
    {
        var judged = await sandbox.JudgeAsync(Empty, """
            public class DataTests
            {
                public static IEnumerable<object[]> Rows() => throw new InvalidOperationException("no rows today");

                [Theory]
                [MemberData(nameof(Rows))]
                public void Uses(int x) => Assert.True(x > 0);
            }
            """);

        Assert.Equal(Verdict.TestFailed, judged.Verdict);
        Assert.Contains("the [MemberData] source threw System.InvalidOperationException: no rows today", judged.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("public static class P { [System.Runtime.InteropServices.DllImport(\"libc\")] public static extern int getpid(); }", "P/Invoke")]
    [InlineData("public static class U { public static unsafe int Read(int* p) => *p; }", "unsafe code")]
    [InlineData("public static class U { public static int Read() { unsafe { int x = 1; int* p = &x; return *p; } } }", "unsafe code")]
    [InlineData("public class Own : System.Text.Encoder { public override int GetByteCount(char[] c, int i, int n, bool f) => 0; public override int GetBytes(char[] c, int i, int n, byte[] b, int j, bool f) => 0; public static object? Call() => typeof(Own).GetMethod(\"Reset\")!.Invoke(new Own(), null); }", "reflection invocation")]
    public async Task NativeCallsAndUnsafeCode_AreBannedApi(string solution, string why)
    {
        var judged = await sandbox.JudgeAsync(solution, "public class T { [Fact] public void A() => Assert.True(true); }");

        Assert.Equal(Verdict.BannedApi, judged.Verdict);
        Assert.Contains(why, judged.Detail, StringComparison.Ordinal);
        Assert.Contains("Solution.cs(", judged.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LookingForTokensInTheEnvironment_FindsNone()
    {
        Assert.NotNull(Environment.GetEnvironmentVariable(SandboxFixture.PlantedVariable)); // it is there, in our process

        var judged = await JudgeTestAsync($$"""
            Assert.Null(Environment.GetEnvironmentVariable("{{SandboxFixture.PlantedVariable}}"));
            foreach (System.Collections.DictionaryEntry e in Environment.GetEnvironmentVariables())
            {
                var name = (string)e.Key;
                Assert.False(name.EndsWith("_TOKEN") || name.EndsWith("_KEY") || name.Contains("SECRET") || name.Contains("PASSWORD"), name);
                Assert.DoesNotContain("ghp_", (string?)e.Value ?? "");
            }
            """);

        Assert.Equal(Verdict.Passed, judged.Verdict);
    }

    [Theory]
    [InlineData("_ = Task.Run(() => { var i = 0L; while (true) { i++; } });", "still in use")]
    [InlineData("new Thread(() => { while (true) { } }) { IsBackground = true }.Start();", "1 thread")]
    [InlineData("new Thread(() => Thread.Sleep(Timeout.Infinite)) { IsBackground = true }.Start();", "1 thread")]
    [InlineData("ThreadPool.QueueUserWorkItem(_ => { while (true) { } });", "still in use")]
    [InlineData("_ = Task.Run(() => Thread.Sleep(Timeout.Infinite));", "still in use")]
    [InlineData("_ = Task.Factory.StartNew(() => { while (true) { } }, TaskCreationOptions.LongRunning);", "1 thread")]
    // The test waits until the pool task has started its thread: otherwise the check may come first and name the task instead.
    [InlineData("var started = new ManualResetEventSlim(); _ = Task.Run(() => { new Thread(() => Thread.Sleep(Timeout.Infinite)) { IsBackground = true }.Start(); started.Set(); }); started.Wait();", "1 thread")]
    [InlineData("var t = new Timer(_ => { }, null, 0, 10); GC.KeepAlive(t);", "timer")]
    public async Task WorkLeftRunning_IsBannedApiNamingWhat_AndItsWorkerIsReplaced(string body, string what)
    {
        var replaced = sandbox.Pool.Replaced;

        // Threads, tasks and timers are allowed; what is still running when the tests end is the verdict.
        var judged = await JudgeTestAsync(body);

        Assert.Equal(Verdict.BannedApi, judged.Verdict);
        Assert.Contains("left work running after its tests ended", judged.Detail, StringComparison.Ordinal);
        Assert.Contains(what, judged.Detail, StringComparison.Ordinal);
        Assert.True(sandbox.Pool.Replaced > replaced);
    }

    [Fact]
    public async Task CodeNestedFarTooDeep_IsRefusedWithoutAnalysingIt_AndTheHostSurvives()
    {
        // 100 000 levels: far past what even the large stack binds; Roslyn is never asked to.
        var deep = string.Concat(Enumerable.Repeat("(1 + ", 100_000)) + "1" + new string(')', 100_000);

        var judged = await sandbox.JudgeAsync($"public static class D {{ public static int V() => {deep}; }}", "public class T { [Fact] public void A() => Assert.True(D.V() > 0); }");

        Assert.Equal(Verdict.CompileError, judged.Verdict);
        Assert.Contains($"nested deeper than {DeepCode.DepthLimit} levels", judged.Detail, StringComparison.Ordinal);
    }

    // The OS layers on their own: assemblies built without the deny-list, as if it had missed something.

    private async Task<SandboxOutcome> RunUncheckedAsync(string testBody)
    {
        var built = TestAssemblyBuilder.Build(Empty, $$"""
            public class Unchecked
            {
                [Fact]
                public void Run()
                {
                    {{testBody}}
                }
            }
            """, checkDenyList: false, CancellationToken.None);
        Assert.True(built.Image is not null, string.Join('\n', built.Errors));
        return await sandbox.Pool.RunAsync(built.Image!, CancellationToken.None);
    }

    [Fact]
    public async Task WithoutTheDenyList_TheNetworkNamespace_StopsAConnectionToThisMachine()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;

        var outcome = await RunUncheckedAsync($"using var client = new System.Net.Sockets.TcpClient(); client.Connect(\"127.0.0.1\", {port});");

        Assert.Contains("network namespace", sandbox.Pool.Isolation, StringComparison.Ordinal);
        Assert.Equal(SandboxEnd.Completed, outcome.End);
        Assert.Equal("failed", Assert.Single(outcome.Response!.Tests).Outcome);
        Assert.Contains("SocketException", outcome.Response.Tests[0].Message, StringComparison.Ordinal);
        Assert.False(listener.Pending());
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task WithoutTheDenyList_TheUnprivilegedUser_CannotWriteOutsideTheScratchDirectory()
    {
        var target = Path.Combine(Path.GetTempPath(), "autorefiner-protected-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(target);
        File.SetUnixFileMode(target, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        var file = Path.Combine(target, "pwned.txt");
        try
        {
            var outcome = await RunUncheckedAsync($"System.IO.File.WriteAllText(\"{file}\", \"x\");");

            Assert.Contains("unprivileged user", sandbox.Pool.Isolation, StringComparison.Ordinal);
            Assert.Equal("failed", Assert.Single(outcome.Response!.Tests).Outcome);
            Assert.Contains("UnauthorizedAccessException", outcome.Response.Tests[0].Message, StringComparison.Ordinal);
            Assert.False(File.Exists(file));
        }
        finally
        {
            Directory.Delete(target, recursive: true);
        }
    }

    [Fact]
    public async Task WithoutTheDenyList_AnExitCall_IsACrashAndTheWorkerIsReplaced()
    {
        var replaced = sandbox.Pool.Replaced;

        var outcome = await RunUncheckedAsync("Environment.Exit(42);");

        Assert.Equal(SandboxEnd.Crashed, outcome.End);
        Assert.Contains("exit code 42", outcome.Detail, StringComparison.Ordinal);
        Assert.Equal(replaced + 1, sandbox.Pool.Replaced);
    }
}
