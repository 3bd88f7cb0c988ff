using AutoRefiner.Core.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AutoRefiner.Harvester.Seeds;

/// <summary>
/// Resolves <c>&lt;inheritdoc/&gt;</c> the way the C# compiler and DocFX read it: from the member its <c>cref</c> names,
/// else from the member it overrides, else from the interface member it implements (explicitly or not), else, for a
/// constructor, from the base class's constructor with the same parameter types. The doc must be in the source (the
/// project or a project it references); one that is <c>&lt;inheritdoc/&gt;</c> again is followed a few steps.
/// </summary>
internal static class InheritedDoc
{
    private const int MaxSteps = 5;

    /// <summary>The inherited doc, or null with why it could not be resolved.</summary>
    public static (DocComment? Doc, string? Why) Resolve(MemberDeclarationSyntax member, Func<SyntaxTree, SemanticModel> models)
    {
        ArgumentNullException.ThrowIfNull(member);
        ArgumentNullException.ThrowIfNull(models);
        var target = member;
        var seen = new HashSet<MemberDeclarationSyntax>();
        for (var step = 0; step < MaxSteps; step++)
        {
            if (!seen.Add(member))
            {
                return (null, "its <inheritdoc/> chain loops back on itself");
            }

            if (DocCommentReader.InheritDoc(member) is not { } inheritdoc)
            {
                if (DocCommentReader.Read(member) is not { } doc)
                {
                    return (null, "the inherited doc has no summary or is not well-formed XML");
                }

                // A doc written for another parameter list (a cref to an overload) that documents a parameter the member
                // does not have would describe an input the member never takes.
                if (member is BaseMethodDeclarationSyntax source && target is BaseMethodDeclarationSyntax own
                    && source.ParameterList.Parameters.Count != own.ParameterList.Parameters.Count
                    && doc.Params.FirstOrDefault(p => !own.ParameterList.Parameters.Any(o => o.Identifier.ValueText == p.Name)) is { } foreign)
                {
                    return (null, $"the doc it inherits documents `{foreign.Name}`, a parameter it does not have");
                }

                return (WithParameterNames(doc, member, target), null);
            }

            var model = models(member.SyntaxTree);
            var from = Source(inheritdoc, member, model);
            if (from is null)
            {
                return (null, HasCref(inheritdoc)
                    ? "its <inheritdoc cref=\"…\"/> names nothing this code base declares or references"
                    : "no base member, implemented interface member or cref to inherit the doc from");
            }

            var declaration = from.OriginalDefinition.DeclaringSyntaxReferences
                .Select(r => r.GetSyntax())
                .OfType<MemberDeclarationSyntax>()
                .FirstOrDefault(d => DocCommentReader.HasSummary(d) || DocCommentReader.InheritDoc(d) is not null);
            if (declaration is null)
            {
                return (null, $"the doc of {from.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat)} is not in the source");
            }

            member = declaration;
        }

        return (null, $"more than {MaxSteps} <inheritdoc/> in a chain");
    }

    /// <summary>
    /// The doc with the base member's parameter names replaced by the target's, position by position (an interface's
    /// <c>OnAdd(int index, T value)</c> implemented as <c>OnAdd(int index, ModuleDef module)</c>), in the parameter list
    /// and where the text names them (<c>`value`</c>, as a <c>paramref</c> is written), so the instruction speaks of the
    /// parameters the member has.
    /// </summary>
    private static DocComment WithParameterNames(DocComment doc, MemberDeclarationSyntax from, MemberDeclarationSyntax target)
    {
        if (from is not BaseMethodDeclarationSyntax source || target is not BaseMethodDeclarationSyntax own
            || source.ParameterList.Parameters.Count != own.ParameterList.Parameters.Count)
        {
            return doc;
        }

        var renames = source.ParameterList.Parameters.Zip(own.ParameterList.Parameters)
            .Where(p => p.First.Identifier.ValueText != p.Second.Identifier.ValueText)
            .ToDictionary(p => p.First.Identifier.ValueText, p => p.Second.Identifier.ValueText, StringComparer.Ordinal);
        if (renames.Count == 0)
        {
            return doc;
        }

        string Text(string text) => renames.Aggregate(text, (t, r) => t.Replace($"`{r.Key}`", $"`{r.Value}`", StringComparison.Ordinal));
        return doc with
        {
            Summary = Text(doc.Summary),
            Remarks = Text(doc.Remarks),
            Returns = Text(doc.Returns),
            Params = [.. doc.Params.Select(p => new NamedDoc(renames.GetValueOrDefault(p.Name, p.Name), Text(p.Text)))],
            Exceptions = [.. doc.Exceptions.Select(e => e with { Text = Text(e.Text) })],
        };
    }

    private static bool HasCref(XmlNodeSyntax inheritdoc) => inheritdoc switch
    {
        XmlEmptyElementSyntax e => e.Attributes.OfType<XmlCrefAttributeSyntax>().Any(),
        XmlElementSyntax e => e.StartTag.Attributes.OfType<XmlCrefAttributeSyntax>().Any(),
        _ => false,
    };

    private static ISymbol? Source(XmlNodeSyntax inheritdoc, MemberDeclarationSyntax member, SemanticModel model)
    {
        var attributes = inheritdoc switch
        {
            XmlEmptyElementSyntax e => e.Attributes,
            XmlElementSyntax e => e.StartTag.Attributes,
            _ => default,
        };
        if (attributes.OfType<XmlCrefAttributeSyntax>().FirstOrDefault() is { } cref)
        {
            var info = model.GetSymbolInfo(cref.Cref);
            return info.Symbol ?? (info.CandidateSymbols.Length == 1 ? info.CandidateSymbols[0] : null);
        }

        var symbol = model.GetDeclaredSymbol(member);
        switch (symbol)
        {
            case IMethodSymbol { MethodKind: MethodKind.Constructor } constructor:
                return constructor.ContainingType.BaseType?.InstanceConstructors
                    .FirstOrDefault(c => c.Parameters.Select(p => p.Type).SequenceEqual(constructor.Parameters.Select(p => p.Type), SymbolEqualityComparer.Default));
            case IMethodSymbol { OverriddenMethod: { } overridden }:
                return overridden;
            case IMethodSymbol { ExplicitInterfaceImplementations: [var first, ..] }:
                return first;
            case IPropertySymbol { OverriddenProperty: { } overridden }:
                return overridden;
            case { ContainingType: { } type }:
                foreach (var face in type.AllInterfaces)
                {
                    foreach (var candidate in face.GetMembers(symbol.Name))
                    {
                        if (SymbolEqualityComparer.Default.Equals(type.FindImplementationForInterfaceMember(candidate), symbol))
                        {
                            return candidate;
                        }
                    }
                }

                return null;
            default:
                return null;
        }
    }
}
