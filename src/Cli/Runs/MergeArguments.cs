namespace AutoRefiner.Cli.Runs;

/// <summary>What <c>merge</c> was given on the command line, as typed.</summary>
/// <param name="Folders">The output folders to combine.</param>
/// <param name="Config"><c>--config</c>, or null.</param>
/// <param name="Out"><c>--out</c>, or null for <c>export.out</c>.</param>
/// <param name="State"><c>--state</c>, or null for the configuration's.</param>
/// <param name="WithStates"><c>--with-state</c> files to merge into the state.</param>
/// <param name="AllowEmpty"><c>--allow-empty</c>.</param>
internal sealed record MergeArguments(
    IReadOnlyList<string> Folders,
    string? Config,
    string? Out,
    string? State,
    IReadOnlyList<string> WithStates,
    bool AllowEmpty);
