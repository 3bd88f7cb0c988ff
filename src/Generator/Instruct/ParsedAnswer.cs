namespace AutoRefiner.Generator.Instruct;

/// <summary>The three sections of an instruct answer.</summary>
/// <param name="Instruction">The task.</param>
/// <param name="Explanation">The prose of the response around its code (may be empty).</param>
/// <param name="Solution">The solution's code, without fences.</param>
/// <param name="Tests">The tests' code, without fences.</param>
internal sealed record ParsedAnswer(string Instruction, string Explanation, string Solution, string Tests)
{
    /// <summary>The response as it goes into the dataset: the explanation, then the solution in a <c>```csharp</c> block.</summary>
    public string Response => Explanation.Length == 0
        ? Core.Text.CodeBlocks.Fence(Solution)
        : $"{Explanation}\n\n{Core.Text.CodeBlocks.Fence(Solution)}";
}
