using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AutoRefiner.Harvester.Seeds;

/// <summary>
/// The using directives of a unit <see cref="UnitEmitter"/> writes: those of the files and namespaces its code comes
/// from (and the project's global usings) that still resolve once only the closure is kept, written fully qualified,
/// plus the namespaces of the library types and the project's other namespaces the code names.
/// </summary>
internal sealed class UnitUsings(DependencyClosure closure, Func<SyntaxTree, SemanticModel> models, IReadOnlyList<UsingDirectiveSyntax> globalUsings)
{
    private readonly DependencyClosure _closure = closure;
    private readonly Func<SyntaxTree, SemanticModel> _models = models;
    private readonly IReadOnlyList<UsingDirectiveSyntax> _globalUsings = globalUsings;

    /// <summary>The usings of every file that contributes, kept where they still resolve, written fully qualified.</summary>
    public IEnumerable<string> Lines()
    {
        var declarations = _closure.Types.SelectMany(Contributing).ToList();
        var trees = _closure.Members.Select(m => m.SyntaxTree)
            .Concat(declarations.Select(d => d.SyntaxTree))
            .Distinct()
            .ToList();
        var directives = new List<UsingDirectiveSyntax>(_globalUsings);
        foreach (var node in _closure.Members.Concat(declarations))
        {
            directives.AddRange(node.Ancestors().OfType<BaseNamespaceDeclarationSyntax>().SelectMany(n => n.Usings));
        }

        foreach (var tree in trees)
        {
            directives.AddRange(((CompilationUnitSyntax)tree.GetRoot()).Usings);
        }

        var namespaces = new SortedSet<string>(Comparer<string>.Create(CompareNamespaces));
        var others = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var directive in directives.Distinct())
        {
            if (directive.NamespaceOrType is not { } target)
            {
                continue;
            }

            var model = _models(directive.SyntaxTree);
            var symbol = directive.Alias is not null
                ? (model.GetDeclaredSymbol(directive) as IAliasSymbol)?.Target
                : model.GetSymbolInfo(target).Symbol;
            if (symbol is null or IErrorTypeSymbol || !Resolves(symbol))
            {
                continue;
            }

            var name = symbol is INamespaceSymbol ns ? ns.ToDisplayString() : symbol.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
            if (directive.Alias is { } alias)
            {
                others.Add($"using {alias.Name.Identifier.Text} = {(symbol is INamespaceSymbol ? "global::" + name : name)};");
            }
            else if (!directive.StaticKeyword.IsKind(SyntaxKind.None))
            {
                others.Add($"using static {symbol.ToDisplayString()};");
            }
            else
            {
                namespaces.Add(name);
            }
        }

        // What the code names from the library and from the project's other namespaces, wherever its using came from.
        var own = _closure.Types.Select(UnitEmitter.NamespaceOf).Where(n => n.Length > 0).ToHashSet(StringComparer.Ordinal);
        foreach (var ns in _closure.LibraryNamespaces.Concat(own))
        {
            if (!AutoRefiner.CSharp.ReferenceSet.ImplicitUsings.Contains(ns) && (own.Count != 1 || !own.Contains(ns)))
            {
                namespaces.Add(ns);
            }
        }

        return namespaces.Select(n => $"using {n};").Concat(others);
    }

    /// <summary>
    /// The declarations of a type whose text the unit's shell of it writes: of a partial type, those that give it
    /// attributes, bases, constraints or primary constructor parameters (the shell's header merges them). A partial
    /// declaration that adds only members the closure left out (one of a hundred files of a partial class, say) brings
    /// no using: its usings name what those members use. The members kept bring their own files' usings.
    /// </summary>
    private static IEnumerable<SyntaxNode> Contributing(INamedTypeSymbol type)
    {
        var declarations = type.DeclaringSyntaxReferences.Select(r => r.GetSyntax()).ToList();
        return declarations.Count < 2
            ? declarations
            : declarations.Where(d => d is not TypeDeclarationSyntax t || t.AttributeLists.Count > 0 || t.BaseList is not null
                || t.ConstraintClauses.Count > 0 || t.ParameterList is not null
                || t.TypeParameterList?.Parameters.Any(p => p.AttributeLists.Count > 0) == true);
    }

    private static int CompareNamespaces(string a, string b)
    {
        var systemA = a == "System" || a.StartsWith("System.", StringComparison.Ordinal);
        var systemB = b == "System" || b.StartsWith("System.", StringComparison.Ordinal);
        return systemA != systemB ? (systemA ? -1 : 1) : string.CompareOrdinal(a, b);
    }

    private bool Resolves(ISymbol symbol)
    {
        switch (symbol)
        {
            case INamespaceSymbol ns:
                if (ns.ConstituentNamespaces.Any(c => c.NamespaceKind != NamespaceKind.Module) || LibraryNamespaces.Contains(ns.ToDisplayString()))
                {
                    return true;
                }

                var name = ns.ToDisplayString();
                return _closure.Types.Any(t => UnitEmitter.NamespaceOf(t) is var n && (n == name || n.StartsWith(name + ".", StringComparison.Ordinal)));
            case ITypeSymbol type:
                return !type.Locations.Any(l => l.IsInSource) || type.OriginalDefinition is INamedTypeSymbol named && _closure.Types.Contains(named);
            default:
                return false;
        }
    }

    /// <summary>Every namespace the reference assemblies declare.</summary>
    private static readonly HashSet<string> LibraryNamespaces = CollectLibraryNamespaces();

    private static HashSet<string> CollectLibraryNamespaces()
    {
        var compilation = AutoRefiner.CSharp.ReferenceSet.Library;
        var result = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<INamespaceSymbol>();
        pending.Push(compilation.GlobalNamespace);
        while (pending.Count > 0)
        {
            foreach (var child in pending.Pop().GetNamespaceMembers())
            {
                result.Add(child.ToDisplayString());
                pending.Push(child);
            }
        }

        return result;
    }
}
