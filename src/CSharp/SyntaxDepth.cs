using Microsoft.CodeAnalysis;

namespace AutoRefiner.CSharp;

/// <summary>
/// Nesting depth of a syntax tree, measured without recursion. Roslyn's binder and flow analysis recurse over nested
/// expressions; a few thousand levels overflow the stack and kill the process, which no catch can stop, so code nested
/// deeper than <see cref="Limit"/> is refused before it is analysed. Code compiled on a thread with a large stack
/// (the validator's) can take a higher limit.
/// </summary>
public static class SyntaxDepth
{
    /// <summary>Deepest nesting accepted; real code stays far below it.</summary>
    public const int Limit = 300;

    /// <summary>True when some node of <paramref name="root"/> is nested deeper than <see cref="Limit"/>.</summary>
    public static bool IsTooDeep(SyntaxNode root) => IsTooDeep(root, Limit);

    /// <summary>True when some node of <paramref name="root"/> is nested deeper than <paramref name="limit"/>.</summary>
    public static bool IsTooDeep(SyntaxNode root, int limit)
    {
        ArgumentNullException.ThrowIfNull(root);
        var pending = new Stack<(SyntaxNode Node, int Depth)>();
        pending.Push((root, 0));
        while (pending.Count > 0)
        {
            var (node, depth) = pending.Pop();
            if (depth > limit)
            {
                return true;
            }

            foreach (var child in node.ChildNodes())
            {
                pending.Push((child, depth + 1));
            }
        }

        return false;
    }
}
