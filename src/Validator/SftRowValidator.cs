using AutoRefiner.CSharp;
using AutoRefiner.Core.Model;
using AutoRefiner.Core.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AutoRefiner.Validator;

/// <summary>
/// Judges a row of any SFT dataset (<c>autorefiner validate</c>): the C# code of its response is compiled, and its tests
/// — a <c>tests</c> field, or the response's code blocks that hold <c>[Fact]</c>/<c>[Theory]</c> methods — are run in
/// the sandbox. A response written as a program (top-level statements) is compiled as one, not run.
/// </summary>
public sealed class SftRowValidator(TestValidator validator)
{
    /// <summary>Judges one row's instruction, response and tests.</summary>
    public async ValueTask<Judged> ValidateAsync(string instruction, string response, string tests, CancellationToken cancellationToken)
    {
        // Datasets often store the tests as markdown, a fenced block like the response's: the code is what runs. Only
        // a field that opens with a fence is read so; C# that holds a fence in a string literal is left as it is.
        if (tests.TrimStart().StartsWith("```", StringComparison.Ordinal) || tests.TrimStart().StartsWith("~~~", StringComparison.Ordinal))
        {
            tests = string.Join("\n", CodeBlocks.All(tests).Select(b => b.Body).Where(b => b.Trim().Length > 0));
        }

        var blocks = CodeBlocks.All(response)
            .Where(b => b.Tag.ToUpperInvariant() is "CSHARP" or "CS" or "C#" or "")
            .Select(b => b.Body)
            .Where(b => b.Trim().Length > 0)
            .ToList();
        var candidate = new Candidate
        {
            Task = "validate",
            Instruction = instruction,
            Response = response,
            Tests = tests,
            Generator = "",
            PromptVersion = "",
            Provenance = new Provenance("", "", "", "", ""),
            SeedId = "",
        };
        if (blocks.Count == 0)
        {
            return new Judged(candidate, Verdict.Unparseable, "the response has no ```csharp code block");
        }

        if (instruction.StartsWith(Core.Config.GenerationConfig.TestsInstructionOpening, StringComparison.Ordinal) && CodeBlocks.All(instruction).Count() >= 2)
        {
            // A tests row: its response is the tests, run against the real code its instruction shows.
            var rowTests = tests.Trim().Length > 0 ? tests : string.Join("\n", blocks);
            return Restore(await validator.ValidateAsync(candidate with { Task = Core.Config.GenerationConfig.TestsTask, Tests = rowTests }, cancellationToken).ConfigureAwait(false), candidate);
        }

        if (tests.Trim().Length == 0 && CodeBlocks.FirstCSharp(instruction) is { } context && context.Contains(MemberSplice.StubStatement, StringComparison.Ordinal))
        {
            // A doc-comment row: its member is judged in the context the instruction shows, not alone.
            return Restore(await validator.ValidateAsync(candidate with { Task = DocCommentRowValidator.Task }, cancellationToken).ConfigureAwait(false), candidate);
        }

        if (tests.Trim().Length == 0)
        {
            var testBlocks = blocks.Where(IsTestCode).ToList();
            var codeBlocks = blocks.Except(testBlocks).ToList();
            if (testBlocks.Count > 0)
            {
                // Tests written in the response: alone in their blocks, or in the same block as the solution.
                var solution = codeBlocks.Count > 0 ? string.Join("\n", codeBlocks) : string.Join("\n", testBlocks);
                var testCode = codeBlocks.Count > 0 ? string.Join("\n", testBlocks) : "// the tests are in the solution's block\n";
                return Restore(await validator.ValidateAsync(candidate with { Response = CodeBlocks.Fence(solution), Tests = testCode }, cancellationToken).ConfigureAwait(false), candidate);
            }

            var code = string.Join("\n", blocks);
            if (HasTopLevelStatements(code, cancellationToken))
            {
                var errors = CompileProgram(code, cancellationToken);
                return errors.Count == 0 ? new Judged(candidate, Verdict.Passed, "") : new Judged(candidate, Verdict.CompileError, string.Join('\n', errors));
            }

            return Restore(await validator.ValidateAsync(candidate with { Response = CodeBlocks.Fence(code), Tests = "" }, cancellationToken).ConfigureAwait(false), candidate);
        }

        // A response that shows its tests as well (a feedback conversation's answers do, so the runner's words have
        // something to refer to) keeps them out of the solution: they run once, from the tests field.
        var solutionBlocks = blocks.Where(b => !(IsTestCode(b) && tests.Contains(b.Trim(), StringComparison.Ordinal))).ToList();
        return Restore(await validator.ValidateAsync(candidate with { Response = CodeBlocks.Fence(string.Join("\n", solutionBlocks.Count > 0 ? solutionBlocks : blocks)) }, cancellationToken).ConfigureAwait(false), candidate);
    }

    private static Judged Restore(Judged judged, Candidate original) => judged with { Candidate = original };

    private static bool IsTestCode(string code) => code.Contains("[Fact", StringComparison.Ordinal) || code.Contains("[Theory", StringComparison.Ordinal);

    private static bool HasTopLevelStatements(string code, CancellationToken cancellationToken) => DeepCode.Run(() =>
        CSharpSyntaxTree.ParseText(code, ReferenceSet.ParseOptions, cancellationToken: cancellationToken).GetRoot(cancellationToken) is CompilationUnitSyntax unit
        && unit.Members.OfType<GlobalStatementSyntax>().Any());

    private static List<string> CompileProgram(string code, CancellationToken cancellationToken) => DeepCode.Run(() => CompileProgramHere(code, cancellationToken));

    private static List<string> CompileProgramHere(string code, CancellationToken cancellationToken)
    {
        var tree = CSharpSyntaxTree.ParseText(code, ReferenceSet.ParseOptions, path: "Program.cs", cancellationToken: cancellationToken);
        if (SyntaxDepth.IsTooDeep(tree.GetRoot(cancellationToken), DeepCode.DepthLimit))
        {
            return [DeepCode.TooDeep];
        }

        var compilation = CSharpCompilation.Create(
            "Program",
            [ReferenceSet.ImplicitUsingsTree, tree],
            ReferenceSet.References,
            ReferenceSet.LibraryOptions.WithOutputKind(OutputKind.ConsoleApplication));
        return [.. compilation.GetDiagnostics(cancellationToken)
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .Take(RoslynCompiler.MaxErrors)
            .Select(RoslynCompiler.Format)];
    }
}
