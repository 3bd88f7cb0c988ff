using AutoRefiner.Core.Model;
using AutoRefiner.Validator;

namespace AutoRefiner.Validator.Tests;

public sealed class CompileValidatorTests
{
    private readonly CompileValidator _validator = new(new RoslynCompiler());

    private static Candidate Candidate(string response) => new()
    {
        Task = "instruct",
        Instruction = "Write it.",
        Response = response,
        Generator = "doc-comments",
        PromptVersion = "doc-comments/1",
        Provenance = new Provenance("o/r", "a.cs", "", "mit", ""),
        SeedId = "s",
    };

    [Fact]
    public async Task Validate_CompilingBlock_Passes()
    {
        var judged = await _validator.ValidateAsync(Candidate("Here:\n```csharp\npublic class C { }\n```\n"), default);

        Assert.Equal(Verdict.Passed, judged.Verdict);
        Assert.Equal("", judged.Detail);
    }

    [Fact]
    public async Task Validate_NoCodeBlock_IsUnparseable()
    {
        var judged = await _validator.ValidateAsync(Candidate("I cannot help with that."), default);

        Assert.Equal(Verdict.Unparseable, judged.Verdict);
    }

    [Fact]
    public async Task Validate_BrokenCode_IsCompileErrorWithTheDiagnostic()
    {
        var judged = await _validator.ValidateAsync(Candidate("```cs\npublic class C { int F() => nope; }\n```"), default);

        Assert.Equal(Verdict.CompileError, judged.Verdict);
        Assert.Contains("error CS0103: The name 'nope' does not exist", judged.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_OnlyAPythonBlock_IsUnparseable()
    {
        var judged = await _validator.ValidateAsync(Candidate("```python\nprint(1)\n```"), default);

        Assert.Equal(Verdict.Unparseable, judged.Verdict);
    }
}
