using AutoRefiner.Core.Model;
using AutoRefiner.Core.Text;
using AutoRefiner.Validator.Sandbox;

namespace AutoRefiner.Validator.Tests.Sandbox;

/// <summary>
/// One pool of real workers for a test class. Its time limits are far above what any case needs, so a verdict never
/// depends on how busy the machine is: a stack overflow on a loaded 2-core machine can take seconds to die, and must
/// still be a crash, not a timeout. The cases that are meant to run out of time use <see cref="TimeoutSandboxFixture"/>.
/// </summary>
public class SandboxFixture : IAsyncLifetime
{
    /// <summary>Planted in this process's environment: a worker must never see it.</summary>
    public const string PlantedVariable = "AUTOREFINER_PLANTED_TOKEN";

    public SandboxFixture()
        : this(testTimeout: TimeSpan.FromSeconds(60))
    {
    }

    protected SandboxFixture(TimeSpan testTimeout)
    {
        Environment.SetEnvironmentVariable(PlantedVariable, "ghp_planted0123456789");
        Pool = new SandboxPool(new SandboxOptions
        {
            Workers = 2,
            SampleTimeout = TimeSpan.FromSeconds(120),
            TestTimeout = testTimeout,
            MemoryCapBytes = 128L * 1024 * 1024,
        });
        Validator = new TestValidator(new CompileValidator(new RoslynCompiler()), Pool, runTests: true);
    }

    public SandboxPool Pool { get; }

    public TestValidator Validator { get; }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await Pool.DisposeAsync();

    public static Candidate Candidate(string solution, string tests) => new()
    {
        Task = "instruct",
        Instruction = "Do it.",
        Response = "Here.\n\n" + CodeBlocks.Fence(solution),
        Tests = tests,
        Generator = "test-model",
        PromptVersion = "instruct/1",
        Provenance = new Provenance("o/r", "a.cs", "", "mit", ""),
        SeedId = "seed",
    };

    public Task<Judged> JudgeAsync(string solution, string tests) => Validator.ValidateAsync(Candidate(solution, tests), CancellationToken.None).AsTask();
}

/// <summary>
/// A pool whose tests get 2 s: for code that never ends (an endless loop, a wait forever), which runs out of any limit
/// however idle or busy the machine is, so a short one keeps the suite fast without making it depend on speed.
/// </summary>
public sealed class TimeoutSandboxFixture : SandboxFixture
{
    public TimeoutSandboxFixture()
        : base(testTimeout: TimeSpan.FromSeconds(2))
    {
    }
}
