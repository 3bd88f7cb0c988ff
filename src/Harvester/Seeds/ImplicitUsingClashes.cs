using AutoRefiner.CSharp;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AutoRefiner.Harvester.Seeds;

/// <summary>
/// Project types named like a type of an implicitly imported namespace (dnlib's <c>dnlib.Threading.Lock</c> and .NET 9's
/// <c>System.Threading.Lock</c>): a project built without implicit usings never saw the clash, but samples are compiled
/// with them, where every use of the name would be ambiguous (CS0104). An alias to the project's type settles it the way
/// its own build read the name, in the analysis and in each unit that uses it (as a project <c>Using</c> item would).
/// </summary>
internal static class ImplicitUsingClashes
{
    /// <summary>Names of the non-generic public types of the implicitly imported namespaces.</summary>
    private static readonly Lazy<HashSet<string>> LibraryNames = new(() =>
    {
        var compilation = ReferenceSet.Library;
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var ns in ReferenceSet.ImplicitUsings)
        {
            var symbol = ns.Split('.').Aggregate((INamespaceSymbol?)compilation.GlobalNamespace, (n, part) => n?.GetNamespaceMembers().FirstOrDefault(c => c.Name == part));
            foreach (var type in symbol?.GetTypeMembers() ?? [])
            {
                if (type.Arity == 0 && type.DeclaredAccessibility == Accessibility.Public)
                {
                    names.Add(type.Name);
                }
            }
        }

        return names;
    });

    /// <summary>
    /// Alias bodies (<c>Lock = global::dnlib.Threading.Lock</c>) for each non-generic top-level type of
    /// <paramref name="roots"/> whose name clashes, when one namespace alone declares that name (else an alias would
    /// pick one of the project's own types over the other) and that is not the global namespace.
    /// </summary>
    public static IReadOnlyList<string> Aliases(IEnumerable<CompilationUnitSyntax> roots)
    {
        ArgumentNullException.ThrowIfNull(roots);
        var declared = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var root in roots)
        {
            foreach (var type in root.DescendantNodes(n => n is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax).OfType<BaseTypeDeclarationSyntax>())
            {
                var name = type.Identifier.ValueText;
                if (type is TypeDeclarationSyntax { TypeParameterList: not null } || !LibraryNames.Value.Contains(name))
                {
                    continue;
                }

                // A type of the global namespace is written as "" here: an alias of its name would clash with it (CS0576).
                var ns = string.Join('.', type.Ancestors().OfType<BaseNamespaceDeclarationSyntax>().Reverse().Select(n => n.Name.ToString()));
                if (!declared.TryGetValue(name, out var namespaces))
                {
                    declared[name] = namespaces = new HashSet<string>(StringComparer.Ordinal);
                }

                namespaces.Add(ns);
            }
        }

        return [.. declared.Where(d => d.Value.Count == 1 && !d.Value.Contains("")).OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => $"{d.Key} = global::{d.Value.First()}.{d.Key}")];
    }
}
