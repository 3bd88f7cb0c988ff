using AutoRefiner.Core.Model;
using AutoRefiner.Core.Pipeline;
using AutoRefiner.Validator;

namespace AutoRefiner.Validator.Tests;

/// <summary>A text compiled again is answered from the first compilation, within a bounded number of remembered results.</summary>
public sealed class CompileResultCacheTests
{
    /// <summary>The real compiler, counting what it is asked.</summary>
    private sealed class Counting : ICodeCompiler
    {
        private readonly RoslynCompiler _compiler = new();

        public int Calls { get; private set; }

        public int Checks { get; private set; }

        public bool Cancel { get; set; }

        public CompileResult Compile(string code, CancellationToken cancellationToken)
        {
            Calls++;
            if (Cancel)
            {
                throw new OperationCanceledException();
            }

            return _compiler.Compile(code, cancellationToken);
        }

        public CompileResult Check(string code, CancellationToken cancellationToken)
        {
            Checks++;
            return _compiler.Check(code, cancellationToken);
        }
    }

    private const string Broken = "public static class M { public static int F() => Missing(); }";

    [Fact]
    public void Compile_SameTextTwice_CompiledOnceWithTheSameResult()
    {
        var inner = new Counting();
        var cache = new CompileResultCache(inner);

        var first = cache.Compile(Broken, default);
        var second = cache.Compile(Broken, default);

        Assert.Same(first, second);
        Assert.False(second.Success);
        Assert.Contains("CS0103", second.Errors[0], StringComparison.Ordinal);
        Assert.Equal(1, inner.Calls);
        Assert.Equal(1, cache.Hits);
    }

    [Fact]
    public void Compile_MoreTextsThanTheCapacity_TheOldestIsCompiledAgain()
    {
        var inner = new Counting();
        var cache = new CompileResultCache(inner, capacity: 2);

        cache.Compile("public class A { }", default);
        cache.Compile("public class B { }", default);
        cache.Compile("public class C { }", default);
        cache.Compile("public class C { }", default);
        cache.Compile("public class A { }", default);

        Assert.Equal(4, inner.Calls);
        Assert.True(cache.Compile("public class A { }", default).Success);
    }

    [Fact]
    public void Compile_CancelledCompilation_IsNotRemembered()
    {
        var inner = new Counting { Cancel = true };
        var cache = new CompileResultCache(inner);

        Assert.Throws<OperationCanceledException>(() => cache.Compile(Broken, default));
        inner.Cancel = false;

        Assert.False(cache.Compile(Broken, default).Success);
        Assert.Equal(2, inner.Calls);
    }

    [Fact]
    public void Check_AfterACompileOfTheSameText_ChecksItself()
    {
        // A full compile places an error inside a doc comment elsewhere: a check answered by it would make a row's detail
        // depend on what the cache happened to hold.
        var inner = new Counting();
        var cache = new CompileResultCache(inner);
        const string Unterminated = "class C { /** abc";

        var compiled = cache.Compile(Unterminated, default);
        var checkedResult = cache.Check(Unterminated, default);

        Assert.Equal((1, 1), (inner.Calls, inner.Checks));
        Assert.Equal(new RoslynCompiler().Check(Unterminated, default).Errors, checkedResult.Errors);
        Assert.NotEqual(compiled.Errors, checkedResult.Errors);
        Assert.Same(checkedResult, cache.Check(Unterminated, default));
    }

    [Fact]
    public void Compile_AfterACheckOfTheSameText_CompilesInFull()
    {
        // A check leaves out the warnings a compile reports, so it cannot answer one.
        var inner = new Counting();
        var cache = new CompileResultCache(inner);
        const string Unused = "using System.Text;\npublic class A { }";

        var checkedResult = cache.Check(Unused, default);
        var compiled = cache.Compile(Unused, default);

        Assert.Empty(checkedResult.UnusedUsingLines);
        Assert.Equal([1], compiled.UnusedUsingLines);
        Assert.Equal((1, 1), (inner.Calls, inner.Checks));
        Assert.Same(checkedResult, cache.Check(Unused, default));
    }
}
