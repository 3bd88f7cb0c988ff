using AutoRefiner.Core.Model;
using AutoRefiner.Validator.Mutation;
using AutoRefiner.Validator.Sandbox;
using AutoRefiner.Validator.Tests.Sandbox;

namespace AutoRefiner.Validator.Tests.Mutation;

/// <summary>A pool of real workers and a validator that mutation-tests with the defaults (20 mutants, bar 0.5).</summary>
public sealed class MutationFixture : IAsyncLifetime
{
    public SandboxPool Pool { get; } = new(new SandboxOptions
    {
        Workers = 2,
        SampleTimeout = TimeSpan.FromSeconds(5),
        TestTimeout = TimeSpan.FromSeconds(5),
        MemoryCapBytes = 256L * 1024 * 1024,
    });

    public MutationTester Tester { get; }

    public TestValidator Validator { get; }

    public MutationFixture()
    {
        Tester = new MutationTester(Pool, 20, 0.5);
        Validator = new TestValidator(new CompileValidator(new RoslynCompiler()), Pool, runTests: true, Tester);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await Pool.DisposeAsync();

    public Task<Judged> JudgeAsync(string solution, string tests) => Validator.ValidateAsync(SandboxFixture.Candidate(solution, tests), CancellationToken.None).AsTask();
}
