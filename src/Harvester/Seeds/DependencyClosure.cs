using System.Collections.Concurrent;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace AutoRefiner.Harvester.Seeds;

/// <summary>
/// What a documented method needs from its project to compile on its own: the members it uses (transitively), the
/// types that hold them (as shells with only those members), whole enums and delegates, and the implementations an
/// interface or abstract base that is kept requires. Attributes the base class library does not know are dropped;
/// anything else the library does not know makes the method unusable as a seed.
/// </summary>
internal sealed class DependencyClosure
{
    private readonly Func<SyntaxTree, SemanticModel> _models;
    private readonly ClosureDiagnostics _diagnostics;
    private readonly int _maxMembers;
    private readonly HashSet<SyntaxNode> _members = [];
    private readonly HashSet<INamedTypeSymbol> _types = new(SymbolEqualityComparer.Default);
    private readonly HashSet<SyntaxNode> _droppedAttributes = [];
    private readonly Queue<SyntaxNode> _work = new();
    private readonly HashSet<string> _libraryNamespaces = new(StringComparer.Ordinal);
    private readonly HashSet<BaseTypeSyntax> _brokenBases = [];
    private readonly HashSet<ITypeSymbol> _brokenBaseTypes = new(SymbolEqualityComparer.Default);

    private readonly int _maxLines;
    private int _lines;
    private int _chars;

    private DependencyClosure(Func<SyntaxTree, SemanticModel> models, ClosureDiagnostics diagnostics, int maxMembers, int maxLines)
    {
        _models = models;
        _diagnostics = diagnostics;
        _maxMembers = maxMembers;
        _maxLines = maxLines;
    }

    /// <summary>Characters per allowed line: a unit of a few very long lines is as large as one of many lines.</summary>
    public const int MaxCharsPerLine = 160;

    /// <summary>Member declarations to emit (methods, properties, fields, …, and whole enums and delegates).</summary>
    public IReadOnlySet<SyntaxNode> Members => _members;

    /// <summary>Types whose shells are emitted.</summary>
    public IReadOnlySet<INamedTypeSymbol> Types => _types;

    /// <summary>Attributes left out because the base class library does not define them.</summary>
    public IReadOnlySet<SyntaxNode> DroppedAttributes => _droppedAttributes;

    /// <summary>
    /// Namespaces of the library types and extension methods the code names. A unit imports them itself, since the
    /// original may have had them from a props file or a global using this reader never sees.
    /// </summary>
    public IReadOnlySet<string> LibraryNamespaces => _libraryNamespaces;

    /// <summary>Why the closure failed, or null.</summary>
    public string? Failure { get; private set; }

    /// <summary>The reason category of <see cref="Failure"/>.</summary>
    public string FailureReason { get; private set; } = "";

    /// <summary>Computes the closure of <paramref name="method"/>.</summary>
    /// <param name="method">The documented method.</param>
    /// <param name="models">Semantic models of the project's trees.</param>
    /// <param name="maxMembers">More members than this fail as <c>too-large</c>.</param>
    /// <param name="maxLines">More source lines than this fail as <c>too-large</c>, before the rest is analysed.</param>
    /// <param name="diagnostics">The errors of the compilation <paramref name="models"/> belong to, shared by its closures; null: this closure's own.</param>
    public static DependencyClosure Build(BaseMethodDeclarationSyntax method, Func<SyntaxTree, SemanticModel> models, int maxMembers, int maxLines, ClosureDiagnostics? diagnostics = null)
    {
        var closure = new DependencyClosure(models, diagnostics ?? new ClosureDiagnostics(), maxMembers, maxLines);
        closure.Run(method);
        return closure;
    }

    /// <summary>The documented member the closure is for: the one member whose body is kept.</summary>
    public SyntaxNode? Root { get; private set; }

    /// <summary>
    /// True for a member other than <see cref="Root"/> that has code: the unit shows it as a declaration with a stub body
    /// (<c>=&gt; throw null!</c>), since the target only calls or reads it. Its body is not analysed either.
    /// </summary>
    public bool IsStub(SyntaxNode member) => member != Root && StubbedBodies(member).Count > 0;

    /// <summary>
    /// The bodies a stub of <paramref name="member"/> leaves out: a method's, constructor's or operator's block or arrow
    /// (not a ref-returning one: <c>throw</c> cannot stand for a reference), a property's, indexer's or event's accessor
    /// bodies or arrow. Empty when it has none (fields, auto-properties, abstract members).
    /// </summary>
    public static IReadOnlyList<SyntaxNode> StubbedBodies(SyntaxNode member) => member switch
    {
        MethodDeclarationSyntax { ReturnType: RefTypeSyntax } => [],
        BaseMethodDeclarationSyntax { Body: { } block } => [block],
        BaseMethodDeclarationSyntax { ExpressionBody: { } expression } => [expression],
        BasePropertyDeclarationSyntax { Type: RefTypeSyntax } => [],
        PropertyDeclarationSyntax { ExpressionBody: { } arrow } => [arrow],
        IndexerDeclarationSyntax { ExpressionBody: { } arrow } => [arrow],
        BasePropertyDeclarationSyntax { AccessorList: { } list } when list.Accessors.Any(a => a.Body is not null || a.ExpressionBody is not null)
            => [.. list.Accessors.Select(a => (SyntaxNode?)a.Body ?? a.ExpressionBody).OfType<SyntaxNode>()],
        _ => [],
    };

    private void Run(BaseMethodDeclarationSyntax root)
    {
        Root = root;
        IncludeMember(root);
        do
        {
            while (Failure is null && _work.TryDequeue(out var node))
            {
                Scan(node);
            }
        }
        while (Failure is null && AddRequiredImplementations());
    }

    private void Fail(string reason, string detail)
    {
        if (Failure is null)
        {
            FailureReason = reason;
            Failure = detail;
        }
    }

    private SemanticModel Model(SyntaxNode node) => _models(node.SyntaxTree);

    private void IncludeMember(SyntaxNode declaration)
    {
        if (!_members.Add(declaration))
        {
            return;
        }

        if (_members.Count > _maxMembers)
        {
            Fail("too-large", $"needs more than {_maxMembers} members");
            return;
        }

        // Stop early on closures that could never fit: most of the cost of a large one is analysing it.
        // A stub counts for its declaration only: its body is not in the unit.
        var span = declaration.SyntaxTree.GetLineSpan(declaration.Span);
        _lines += span.EndLinePosition.Line - span.StartLinePosition.Line + 1;
        _chars += declaration.Span.Length;
        if (declaration != Root)
        {
            foreach (var body in StubbedBodies(declaration))
            {
                var bodySpan = declaration.SyntaxTree.GetLineSpan(body.Span);
                _lines -= bodySpan.EndLinePosition.Line - bodySpan.StartLinePosition.Line;
                _chars -= body.Span.Length;
            }
        }

        if (_lines > _maxLines || _chars > _maxLines * MaxCharsPerLine)
        {
            Fail("too-large", _lines > _maxLines ? $"needs more than {_maxLines} lines" : $"needs more than {_maxLines * MaxCharsPerLine} characters");
            return;
        }

        _work.Enqueue(declaration);
        var container = declaration.Parent switch
        {
            BaseTypeDeclarationSyntax type => Model(type).GetDeclaredSymbol(type) as INamedTypeSymbol,
            _ => null,
        };
        if (container is not null)
        {
            RequireType(container);
        }
        else if (declaration.Parent is not (BaseNamespaceDeclarationSyntax or CompilationUnitSyntax))
        {
            Fail("unsupported", $"a member outside a type ({declaration.Parent?.Kind()})");
        }
    }

    private void RequireType(INamedTypeSymbol type)
    {
        type = type.OriginalDefinition;
        if (type.IsAnonymousType || type.IsTupleType || !IsSource(type) || _types.Contains(type))
        {
            return;
        }

        // The implicit Program class of top-level statements (and any type with no declaration of its own) cannot be copied.
        if (!type.DeclaringSyntaxReferences.Any(r => r.GetSyntax() is TypeDeclarationSyntax or EnumDeclarationSyntax or DelegateDeclarationSyntax))
        {
            Fail("unsupported", $"'{type.Name}' has no type declaration to copy");
            return;
        }

        _types.Add(type);

        if (type.ContainingType is { } outer)
        {
            RequireType(outer);
        }

        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            var syntax = reference.GetSyntax();
            switch (syntax)
            {
                case EnumDeclarationSyntax or DelegateDeclarationSyntax:
                    IncludeMember(syntax);
                    break;
                case TypeDeclarationSyntax declaration:
                    // The shell's own code: attributes, the primary constructor, constraints and base-call arguments.
                    foreach (var list in declaration.AttributeLists)
                    {
                        _work.Enqueue(list);
                    }

                    if (declaration.ParameterList is { } parameters)
                    {
                        _work.Enqueue(parameters);
                    }

                    foreach (var clause in declaration.ConstraintClauses)
                    {
                        _work.Enqueue(clause);
                    }

                    var model = Model(declaration);
                    foreach (var baseType in declaration.BaseList?.Types ?? default)
                    {
                        // A base the project itself could not resolve (it came from a props file or a package) is left out.
                        if (_diagnostics.IsBroken(baseType, model))
                        {
                            _brokenBases.Add(baseType);
                            if (model.GetTypeInfo(baseType.Type).Type is { } brokenType)
                            {
                                _brokenBaseTypes.Add(brokenType);
                            }

                            continue;
                        }

                        if (baseType is PrimaryConstructorBaseTypeSyntax call)
                        {
                            _work.Enqueue(call.ArgumentList);
                        }
                    }

                    break;
            }
        }
    }

    private void Scan(SyntaxNode node)
    {
        var model = Model(node);
        var stubbed = node is MemberDeclarationSyntax && node != Root ? StubbedBodies(node) : [];
        foreach (var n in node.DescendantNodesAndSelf(child => !_droppedAttributes.Contains(child) && !stubbed.Contains(child)))
        {
            if (Failure is not null)
            {
                return;
            }

            if (_droppedAttributes.Count > 0 && IsInsideDropped(n))
            {
                continue;
            }

            // A user-defined implicit conversion is a call that no name in the code points to.
            if (n is ExpressionSyntax expression && expression.Parent is ArgumentSyntax or EqualsValueClauseSyntax or ReturnStatementSyntax
                    or ArrowExpressionClauseSyntax or AssignmentExpressionSyntax or YieldStatementSyntax or ConditionalExpressionSyntax
                    or BinaryExpressionSyntax or InitializerExpressionSyntax or ExpressionElementSyntax
                && model.GetConversion(expression) is { IsUserDefined: true, MethodSymbol: { } conversion })
            {
                Use(conversion, n);
            }

            switch (n)
            {
                case AttributeSyntax attribute:
                    var attributeType = model.GetTypeInfo(attribute).Type;
                    if (attributeType is null or IErrorTypeSymbol)
                    {
                        _droppedAttributes.Add(attribute);
                        continue;
                    }

                    Use(model.GetSymbolInfo(attribute).Symbol ?? attributeType, attribute);
                    break;
                case SimpleNameSyntax or ObjectCreationExpressionSyntax or ImplicitObjectCreationExpressionSyntax
                    or ConstructorInitializerSyntax or PrimaryConstructorBaseTypeSyntax or BinaryExpressionSyntax
                    or PrefixUnaryExpressionSyntax or PostfixUnaryExpressionSyntax or ElementAccessExpressionSyntax
                    or AssignmentExpressionSyntax or CastExpressionSyntax:
                    var info = model.GetSymbolInfo(n);
                    var symbol = info.Symbol ?? (info.CandidateSymbols.Length == 1 ? info.CandidateSymbols[0] : null);
                    if (symbol is not null)
                    {
                        Use(symbol, n);
                    }

                    break;
                case ForEachStatementSyntax forEach:
                    var each = model.GetForEachStatementInfo(forEach);
                    Use(each.GetEnumeratorMethod, n);
                    Use(each.MoveNextMethod, n);
                    Use(each.CurrentProperty, n);
                    break;
                case InitializerExpressionSyntax initializer when initializer.IsKind(SyntaxKind.CollectionInitializerExpression):
                    foreach (var element in initializer.Expressions)
                    {
                        Use(model.GetCollectionInitializerSymbolInfo(element).Symbol, n);
                    }

                    break;
            }

        }

        if (Failure is null && node is MemberDeclarationSyntax)
        {
            CheckDiagnostics(node, model);
        }

        if (Failure is null && node is MemberDeclarationSyntax member && model.GetDeclaredSymbol(member) is { } declared)
        {
            // An override needs the member it overrides, an explicit implementation the interface member.
            switch (declared)
            {
                case IMethodSymbol { OverriddenMethod: { } o }:
                    Use(o, node);
                    break;
                case IPropertySymbol { OverriddenProperty: { } o }:
                    Use(o, node);
                    break;
                case IEventSymbol { OverriddenEvent: { } o }:
                    Use(o, node);
                    break;
            }

            foreach (var explicitMember in ExplicitImplementations(declared))
            {
                Use(explicitMember, node);
                KeepPathTo(declared.ContainingType, explicitMember.ContainingType);
            }

            if (declared is IMethodSymbol { PartialDefinitionPart: { } definition })
            {
                Use(definition, node);
            }

            if (declared is IMethodSymbol { PartialImplementationPart: { } implementation })
            {
                Use(implementation, node);
            }
        }
    }

    private bool IsInsideDropped(SyntaxNode node) => node.AncestorsAndSelf().Any(n => _droppedAttributes.Contains(n));

    private void CheckDiagnostics(SyntaxNode node, SemanticModel model)
    {
        // Errors in the original project (an unknown type or package) mean the unit cannot compile on its own either;
        // finding them here is much cheaper than a compilation. Errors inside dropped attributes do not count. A stub's
        // bodies are not in the unit, so they are not bound: only its declaration is checked (with a constructor's
        // initializer, which is code outside its body).
        var bodies = node == Root || node is ConstructorDeclarationSyntax { Initializer: not null } || StubbedBodies(node).Count == 0;
        foreach (var diagnostic in _diagnostics.ErrorsIn(node, model, bodies))
        {
            var span = diagnostic.Location.SourceSpan;
            if (_droppedAttributes.Any(a => a.SyntaxTree == node.SyntaxTree && a.FullSpan.Contains(span))
                || node != Root && StubbedBodies(node).Any(b => b.FullSpan.Contains(span)))
            {
                continue;
            }

            Fail("unresolved", $"{diagnostic.Id}: {diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}");
            return;
        }
    }

    private static IEnumerable<ISymbol> ExplicitImplementations(ISymbol symbol) => symbol switch
    {
        IMethodSymbol m => m.ExplicitInterfaceImplementations,
        IPropertySymbol p => p.ExplicitInterfaceImplementations,
        IEventSymbol e => e.ExplicitInterfaceImplementations,
        _ => [],
    };

    private void Use(ISymbol? symbol, SyntaxNode at)
    {
        switch (symbol)
        {
            case null or ILocalSymbol or ILabelSymbol or IRangeVariableSymbol or IDiscardSymbol or ITypeParameterSymbol or INamespaceSymbol:
                return;
            case IAliasSymbol alias:
                Use(alias.Target, at);
                return;
            case IErrorTypeSymbol:
                Fail("unresolved", $"unknown type '{symbol.Name}' in '{Shorten(at.ToString())}'");
                return;
            case IArrayTypeSymbol array:
                Use(array.ElementType, at);
                return;
            case IPointerTypeSymbol pointer:
                Use(pointer.PointedAtType, at);
                return;
            case IParameterSymbol parameter:
                // A primary constructor parameter needs the type whose header declares it.
                if (parameter.ContainingSymbol is IMethodSymbol { MethodKind: MethodKind.Constructor, ContainingType: { } owner } && IsSource(owner))
                {
                    RequireType(owner);
                }

                return;
            case INamedTypeSymbol named:
                if (named.IsTupleType || named.IsAnonymousType)
                {
                    foreach (var element in named.TypeArguments)
                    {
                        Use(element, at);
                    }

                    return;
                }

                // typeof(List<>) has placeholder (error) type arguments: there is nothing to resolve in them.
                if (!named.IsUnboundGenericType)
                {
                    foreach (var argument in named.TypeArguments)
                    {
                        Use(argument, at);
                    }
                }

                if (IsSource(named))
                {
                    RequireType(named);
                }
                else
                {
                    NoteNamespace(named);
                }

                return;
        }

        if (symbol is IMethodSymbol { ReducedFrom: { } reduced })
        {
            symbol = reduced;
        }

        if (symbol is IMethodSymbol { AssociatedSymbol: { } associated } && associated is IPropertySymbol or IEventSymbol)
        {
            symbol = associated;
        }

        symbol = symbol.OriginalDefinition;
        if (symbol is IMethodSymbol { IsGenericMethod: true } generic)
        {
            symbol = generic.ConstructedFrom;
        }

        if (!IsSource(symbol))
        {
            if (symbol is IMethodSymbol { IsExtensionMethod: true } or INamedTypeSymbol || symbol.IsStatic)
            {
                NoteNamespace(symbol as INamedTypeSymbol ?? symbol.ContainingType);
            }

            return;
        }

        if (symbol.IsImplicitlyDeclared || symbol.DeclaringSyntaxReferences.IsEmpty)
        {
            if (symbol.ContainingType is { } implicitOwner)
            {
                RequireType(implicitOwner);
            }

            return;
        }

        foreach (var reference in symbol.DeclaringSyntaxReferences)
        {
            var declaration = DeclarationOf(reference.GetSyntax());
            if (declaration is null)
            {
                if (symbol.ContainingType is { } owner)
                {
                    RequireType(owner);
                }

                continue;
            }

            IncludeMember(declaration);
        }
    }

    /// <summary>The member declaration that holds a symbol's declaring syntax (a field's declarator → the field).</summary>
    private static MemberDeclarationSyntax? DeclarationOf(SyntaxNode syntax) => syntax switch
    {
        VariableDeclaratorSyntax { Parent.Parent: BaseFieldDeclarationSyntax field } => field,
        EnumMemberDeclarationSyntax { Parent: EnumDeclarationSyntax e } => e,
        AccessorDeclarationSyntax { Parent.Parent: BasePropertyDeclarationSyntax p } => p,
        ParameterSyntax => null,

        // A record's or class's primary constructor is declared by the type itself: the type's shell carries it.
        BaseTypeDeclarationSyntax or DelegateDeclarationSyntax => null,
        LocalFunctionStatementSyntax => null,
        MemberDeclarationSyntax m when m.Parent is BaseTypeDeclarationSyntax or BaseNamespaceDeclarationSyntax or CompilationUnitSyntax => m,
        _ => null,
    };

    /// <summary>
    /// A kept interface or abstract base needs its members implemented: every member when it comes from the base
    /// class library, the members the closure holds when it comes from the project. Returns true when it added any.
    /// </summary>
    private bool AddRequiredImplementations()
    {
        var added = false;
        foreach (var type in _types.ToArray())
        {
            foreach (var baseType in KeptBases(type))
            {
                if (!IsSource(baseType))
                {
                    NoteNamespace(baseType);
                }
            }

            // A project base that is not needed itself stays when it leads to one that is (C : B : A with A's members used).
            foreach (var direct in DirectBases(type))
            {
                if (IsSource(direct) && !_types.Contains(direct.OriginalDefinition) && LeadsToIncluded(direct))
                {
                    RequireType(direct);
                    added = true;
                }
            }

            if (type.TypeKind is not (TypeKind.Class or TypeKind.Struct))
            {
                continue;
            }

            // State kept without an initializer is set by constructors: without them the method would read defaults.
            if (NeedsConstructors(type, isStatic: false))
            {
                added |= IncludeAll(type.InstanceConstructors);
            }

            if (NeedsConstructors(type, isStatic: true))
            {
                added |= IncludeAll(type.StaticConstructors);
            }

            // A class whose kept project base has no parameterless constructor needs its own constructors (they call base(...)).
            if (type.TypeKind == TypeKind.Class && type.BaseType is { } parent && IsSource(parent) && IsKept(parent)
                && !parent.InstanceConstructors.Any(c => c.Parameters.IsEmpty || c.Parameters.All(p => p.HasExplicitDefaultValue))
                && !type.InstanceConstructors.Any(IsIncluded))
            {
                added |= IncludeAll(type.InstanceConstructors);
            }

            // A constructor kept without an initializer (or the default one of a shell that keeps none) calls its base's
            // parameterless constructor implicitly: when the base declares one, it must be kept with the others.
            if (type.TypeKind == TypeKind.Class && type.BaseType is { } callee && IsSource(callee) && IsKept(callee)
                && (type.InstanceConstructors.Any(c => IsIncluded(c) && c.DeclaringSyntaxReferences.Any(r => r.GetSyntax() is ConstructorDeclarationSyntax { Initializer: null }))
                    || !type.InstanceConstructors.Any(IsIncluded))
                && callee.InstanceConstructors.FirstOrDefault(c => !c.IsImplicitlyDeclared && c.Parameters.All(p => p.IsOptional || p.IsParams)) is { } implicitCall
                && !IsIncluded(implicitCall))
            {
                added |= IncludeAll([implicitCall]);
            }

            // An abstract class may leave its base's abstract members abstract, but must still implement its interfaces.
            foreach (var required in RequiredMembers(type).Where(m => !type.IsAbstract || m.ContainingType.TypeKind == TypeKind.Interface))
            {
                var implementation = required.ContainingType.TypeKind == TypeKind.Interface
                    ? type.FindImplementationForInterfaceMember(required)
                    : FindOverride(type, required);
                if (implementation is null || !IsSource(implementation) || implementation.IsImplicitlyDeclared)
                {
                    continue;
                }

                foreach (var reference in implementation.DeclaringSyntaxReferences)
                {
                    if (DeclarationOf(reference.GetSyntax()) is { } declaration && !_members.Contains(declaration))
                    {
                        IncludeMember(declaration);
                        added = true;
                    }
                }
            }
        }

        return added;
    }

    private IEnumerable<ISymbol> RequiredMembers(INamedTypeSymbol type)
    {
        foreach (var baseType in KeptBases(type))
        {
            IEnumerable<INamedTypeSymbol> chain = baseType.TypeKind == TypeKind.Interface
                ? [baseType, .. baseType.AllInterfaces]
                : Ancestors(baseType);
            foreach (var owner in chain)
            {
                foreach (var member in owner.GetMembers())
                {
                    if (!member.IsAbstract || member.IsStatic && owner.TypeKind != TypeKind.Interface)
                    {
                        continue;
                    }

                    // Library interfaces are kept whole; a project type only has the members the closure holds.
                    if (!IsSource(owner) || IsIncluded(member))
                    {
                        yield return member;
                    }
                }
            }
        }
    }

    /// <summary>
    /// An explicit implementation of <paramref name="target"/> needs the interface among the type's bases: when it is
    /// inherited through a project interface or base class, that one is kept.
    /// </summary>
    private void KeepPathTo(INamedTypeSymbol type, INamedTypeSymbol target)
    {
        var direct = DirectBases(type).ToList();
        if (direct.Any(d => SymbolEqualityComparer.Default.Equals(d, target)))
        {
            return;
        }

        foreach (var d in direct)
        {
            if (IsSource(d) && d.AllInterfaces.Append(d.BaseType).Any(i => SymbolEqualityComparer.Default.Equals(i, target)))
            {
                RequireType(d);
                return;
            }
        }
    }

    /// <summary>True when the closure keeps a field or auto-property of <paramref name="type"/> that nothing initialises inline.</summary>
    private bool NeedsConstructors(INamedTypeSymbol type, bool isStatic)
    {
        foreach (var member in _members)
        {
            if (member.Parent is not TypeDeclarationSyntax parent || !SymbolEqualityComparer.Default.Equals(Model(parent).GetDeclaredSymbol(parent), type))
            {
                continue;
            }

            switch (member)
            {
                case FieldDeclarationSyntax field
                    when field.Modifiers.Any(SyntaxKind.StaticKeyword) == isStatic && !field.Modifiers.Any(SyntaxKind.ConstKeyword)
                         && field.Declaration.Variables.Any(v => v.Initializer is null):
                    return true;
                case PropertyDeclarationSyntax property
                    when property.Modifiers.Any(SyntaxKind.StaticKeyword) == isStatic && property.Initializer is null && property.ExpressionBody is null
                         && property.AccessorList is { } accessors && accessors.Accessors.All(a => a.Body is null && a.ExpressionBody is null):
                    return true;
            }
        }

        return false;
    }

    private bool IncludeAll(IEnumerable<IMethodSymbol> constructors)
    {
        var added = false;
        foreach (var constructor in constructors.Where(c => !c.IsImplicitlyDeclared))
        {
            foreach (var reference in constructor.DeclaringSyntaxReferences)
            {
                if (DeclarationOf(reference.GetSyntax()) is { } declaration && !_members.Contains(declaration))
                {
                    IncludeMember(declaration);
                    added = true;
                }
            }
        }

        return added;
    }

    private static IEnumerable<INamedTypeSymbol> DirectBases(INamedTypeSymbol type) =>
        type.BaseType is { } b ? type.Interfaces.Prepend(b) : type.Interfaces;

    private bool LeadsToIncluded(INamedTypeSymbol type)
    {
        var pending = new Stack<INamedTypeSymbol>(DirectBases(type));
        while (pending.Count > 0)
        {
            var next = pending.Pop();
            if (!IsSource(next))
            {
                continue;
            }

            if (_types.Contains(next.OriginalDefinition))
            {
                return true;
            }

            foreach (var further in DirectBases(next))
            {
                pending.Push(further);
            }
        }

        return false;
    }

    private static IEnumerable<INamedTypeSymbol> Ancestors(INamedTypeSymbol type)
    {
        for (var t = type; t is not null; t = t.BaseType)
        {
            yield return t;
            foreach (var i in t.Interfaces)
            {
                yield return i;
            }
        }
    }

    /// <summary>The bases of a type that its emitted shell keeps: library types, and project types in the closure.</summary>
    public IEnumerable<INamedTypeSymbol> KeptBases(INamedTypeSymbol type)
    {
        if (type.BaseType is { SpecialType: not (SpecialType.System_Object or SpecialType.System_ValueType) } baseType && IsKept(baseType))
        {
            yield return baseType;
        }

        foreach (var i in type.Interfaces)
        {
            if (IsKept(i))
            {
                yield return i;
            }
        }
    }

    /// <summary>True when a base written in a shell's base list stays there.</summary>
    public bool IsKept(BaseTypeSyntax syntax, ITypeSymbol? baseType) =>
        baseType is not null && !_brokenBases.Contains(syntax) && IsKept(baseType);

    /// <summary>True when a base type stays in the shells that name it.</summary>
    public bool IsKept(ITypeSymbol baseType) =>
        baseType is not IErrorTypeSymbol && !_brokenBaseTypes.Contains(baseType) && (!IsSource(baseType) || baseType.OriginalDefinition is INamedTypeSymbol named && _types.Contains(named));

    private bool IsIncluded(ISymbol member) =>
        member.DeclaringSyntaxReferences.Any(r => DeclarationOf(r.GetSyntax()) is { } d && _members.Contains(d));

    private static ISymbol? FindOverride(INamedTypeSymbol type, ISymbol abstractMember)
    {
        for (var t = type; t is not null; t = t.BaseType)
        {
            foreach (var member in t.GetMembers(abstractMember.Name))
            {
                for (var o = Overridden(member); o is not null; o = Overridden(o))
                {
                    if (SymbolEqualityComparer.Default.Equals(o.OriginalDefinition, abstractMember.OriginalDefinition))
                    {
                        return member;
                    }
                }
            }
        }

        return null;
    }

    private static ISymbol? Overridden(ISymbol member) => member switch
    {
        IMethodSymbol m => m.OverriddenMethod,
        IPropertySymbol p => p.OverriddenProperty,
        IEventSymbol e => e.OverriddenEvent,
        _ => null,
    };

    private void NoteNamespace(INamedTypeSymbol? type)
    {
        while (type?.ContainingType is { } outer)
        {
            type = outer;
        }

        if (type?.ContainingNamespace is { IsGlobalNamespace: false } ns)
        {
            _libraryNamespaces.Add(ns.ToDisplayString());
        }
    }

    private static bool IsSource(ISymbol symbol) => symbol.Locations.Any(l => l.IsInSource);

    private static string Shorten(string text)
    {
        var flat = string.Join(' ', text.Split((char[])['\r', '\n', '\t', ' '], StringSplitOptions.RemoveEmptyEntries));
        return flat.Length <= 80 ? flat : flat[..77] + "...";
    }
}
