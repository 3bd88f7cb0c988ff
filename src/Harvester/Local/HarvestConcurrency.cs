namespace AutoRefiner.Harvester.Local;

/// <summary>
/// How many projects of a tree are analysed at once: at most <paramref name="Projects"/>, and together no more than
/// <paramref name="MemoryBudgetBytes"/> by their estimated size (<see cref="EstimateBytes"/>). The first project waiting
/// is always started, however large, so a project larger than the budget is analysed alone rather than never.
/// </summary>
/// <param name="Projects">Projects analysed at once (the extraction's parallelism: one per core by default).</param>
/// <param name="MemoryBudgetBytes">What the projects analysed at once may take together, by estimate.</param>
internal sealed record HarvestConcurrency(int Projects, long MemoryBudgetBytes)
{
    /// <summary>
    /// Memory a project's analysis takes per byte of C# source it compiles (its files and its referenced projects'):
    /// the text (UTF-16), its syntax trees, the compilation's symbols and the semantic models of a batch of members.
    /// Measured on dnlib, Json.NET and MoreLINQ at about 60; rounded up so the estimate errs on the safe side.
    /// </summary>
    public const long BytesPerSourceByte = 100;

    /// <summary>The default budget's floor: below it, projects are analysed one at a time in practice anyway.</summary>
    public const long MinBudgetBytes = 256L * 1024 * 1024;

    /// <summary>The default budget's ceiling, so a machine with much memory still keeps a harvest near 1.5 GB at most.</summary>
    public const long MaxBudgetBytes = 1024L * 1024 * 1024;

    /// <summary>
    /// One project per core (<paramref name="parallelism"/>), and a quarter of the memory this process may use (the GC's
    /// <c>TotalAvailableMemoryBytes</c>: the machine's, or the container's limit), between 256 MB and 1 GB.
    /// </summary>
    public static HarvestConcurrency Default(int parallelism) =>
        new(Math.Max(1, parallelism), Math.Clamp(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 4, MinBudgetBytes, MaxBudgetBytes));

    /// <summary>The estimated memory of analysing <paramref name="sourceBytes"/> bytes of source.</summary>
    public static long EstimateBytes(long sourceBytes) => Math.Max(0, sourceBytes) * BytesPerSourceByte;
}
