namespace AutoRefiner.Core.Model;

/// <summary>
/// A unit of real code cut out of a harvested file: a documented method, and (when <see cref="Code"/> is set)
/// the self-contained compilation unit that holds it together with what it needs from its type and project.
/// </summary>
public sealed record Seed
{
    /// <summary>Stable hash of the normalised <see cref="Code"/>.</summary>
    public required string Id { get; init; }

    /// <summary>Method name.</summary>
    public required string Name { get; init; }

    /// <summary>The method's declaration line as written (modifiers, return type, name, parameters, constraints).</summary>
    public required string Signature { get; init; }

    /// <summary>The containing type as written in C# (e.g. <c>static class StringUtil</c>).</summary>
    public required string ContainingType { get; init; }

    /// <summary>The method's XML documentation.</summary>
    public required DocComment Doc { get; init; }

    /// <summary>
    /// A compilation unit that compiles on its own against the base class library (with the SDK's implicit usings); for
    /// an inspiration seed (<see cref="SelfContained"/> false), the method as written inside its type's declaration.
    /// </summary>
    public required string Code { get; init; }

    /// <summary>
    /// True when <see cref="Code"/> compiles on its own (what doc-comment pairs need); false for an inspiration seed: a
    /// meaningful method that needs its project or has no documentation, good only as an idea for the instruct generator.
    /// </summary>
    public bool SelfContained { get; init; } = true;

    /// <summary>
    /// For a self-contained seed, <see cref="Code"/> with the target member's body replaced by
    /// <c>throw new NotImplementedException();</c> (its doc comment kept): the context a doc-comment row shows. Empty otherwise.
    /// </summary>
    public string Context { get; init; } = "";

    /// <summary>For a self-contained seed, the complete target member as it is in <see cref="Code"/> (what a doc-comment row answers). Empty otherwise.</summary>
    public string Member { get; init; } = "";

    /// <summary>
    /// False when <see cref="Code"/> raises nullable warnings (code written before nullable annotations): its row says
    /// nullable reference types are disabled, and its context begins with <c>#nullable disable</c>.
    /// </summary>
    public bool NullableAnnotated { get; init; } = true;

    /// <summary>Members and types pulled in beside the method.</summary>
    public int Dependencies { get; init; }

    /// <summary>Where it came from.</summary>
    public required Provenance Provenance { get; init; }
}

/// <summary>The parts of an XML documentation comment, as plain text (markdown for code).</summary>
public sealed record DocComment
{
    /// <summary>The <c>summary</c>.</summary>
    public required string Summary { get; init; }

    /// <summary><c>param</c> entries in declaration order.</summary>
    public IReadOnlyList<NamedDoc> Params { get; init; } = [];

    /// <summary><c>typeparam</c> entries.</summary>
    public IReadOnlyList<NamedDoc> TypeParams { get; init; } = [];

    /// <summary>The <c>returns</c> text, or empty.</summary>
    public string Returns { get; init; } = "";

    /// <summary>The <c>remarks</c> text, or empty.</summary>
    public string Remarks { get; init; } = "";

    /// <summary><c>exception</c> entries (type, condition).</summary>
    public IReadOnlyList<NamedDoc> Exceptions { get; init; } = [];
}

/// <summary>A named piece of documentation (a parameter, a type parameter, an exception).</summary>
public sealed record NamedDoc(string Name, string Text);
