using Spectre.Console.Cli;
using Spectre.Console.Cli.Help;
using Spectre.Console.Rendering;

namespace AutoRefiner.Cli.Rendering;

/// <summary>
/// Spectre's help, without the blank space its tables pad every line with: help is read in terminals but also diffed,
/// grepped and pasted, where trailing spaces are noise.
/// </summary>
internal sealed class TrimmedHelpProvider(ICommandAppSettings settings) : HelpProvider(settings)
{
    /// <inheritdoc />
    public override IEnumerable<IRenderable> Write(ICommandModel model, ICommandInfo? command) =>
        [.. base.Write(model, command).Select(r => new TrimmedRenderable(r))];
}
