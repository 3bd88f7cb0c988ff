using AutoRefiner.Core.Model;
using AutoRefiner.Core.Text;
using AutoRefiner.Validator.Sandbox;

namespace AutoRefiner.Validator.Tests.Sandbox;

/// <summary>One pool of real workers for a test class: short limits so hostile code is caught quickly.</summary>
public sealed class SandboxFixture : IAsyncLifetime
{
    /// <summary>Planted in this process's environment: a worker must never see it.</summary>
    public const string PlantedVariable = "AUTOREFINER_PLANTED_TOKEN";

    public SandboxPool Pool { get; } = new(new SandboxOptions
    {
        Workers = 2,
        SampleTimeout = TimeSpan.FromSeconds(3),
        TestTimeout = TimeSpan.FromSeconds(2),
        MemoryCapBytes = 128L * 1024 * 1024,
    });

    public TestValidator Validator { get; }

    public SandboxFixture()
    {
        Environment.SetEnvironmentVariable(PlantedVariable, "ghp_planted0123456789");
        Validator = new TestValidator(new CompileValidator(new RoslynCompiler()), Pool, runTests: true);
    }

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
