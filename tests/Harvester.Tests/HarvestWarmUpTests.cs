using AutoRefiner.Core.Pipeline;
using AutoRefiner.Validator;

namespace AutoRefiner.Harvester.Tests;

/// <summary>The compiler readied on a spare core while a run sets itself up.</summary>
public sealed class HarvestWarmUpTests
{
    private sealed class Counting(ICodeCompiler inner, bool fail) : ICodeCompiler
    {
        public int Calls;

        public CompileResult Compile(string code, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Calls);
            return fail ? throw new InvalidOperationException("broken compiler") : inner.Compile(code, cancellationToken);
        }

        public CompileResult Check(string code, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref Calls);
            return fail ? throw new InvalidOperationException("broken compiler") : inner.Check(code, cancellationToken);
        }
    }

    [Fact]
    public async Task Start_RunsItsProjectThroughTheCompiler()
    {
        // Its members are extracted as a run's are: each unit is compiled, then its context checked.
        var compiler = new Counting(new RoslynCompiler(), fail: false);

        await HarvestWarmUp.Start(compiler).WaitAsync(TimeSpan.FromMinutes(2));

        Assert.True(compiler.Calls >= 4, $"{compiler.Calls} compilations");
    }

    [Fact]
    public async Task Start_CompilerFails_TheWarmUpEndsQuietly()
    {
        var compiler = new Counting(new RoslynCompiler(), fail: true);

        await HarvestWarmUp.Start(compiler).WaitAsync(TimeSpan.FromMinutes(2));

        Assert.True(compiler.Calls > 0);
    }
}
