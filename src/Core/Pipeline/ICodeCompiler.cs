using AutoRefiner.Core.Model;

namespace AutoRefiner.Core.Pipeline;

/// <summary>Compiles a C# compilation unit on its own against the base class library.</summary>
public interface ICodeCompiler
{
    /// <summary>Compiles <paramref name="code"/> as a library with the SDK's implicit usings.</summary>
    CompileResult Compile(string code, CancellationToken cancellationToken);

    /// <summary>
    /// Whether <paramref name="code"/> compiles, with its errors, and nothing else: no unused usings, defect or nullable
    /// warnings are looked for, so a compiler may skip the work those take (binding doc comments, nullable flow analysis).
    /// It succeeds exactly when <see cref="Compile"/> does, with the same error codes; an error inside a doc comment may be
    /// placed elsewhere, since doc comments are not parsed. By default, <see cref="Compile"/>.
    /// </summary>
    CompileResult Check(string code, CancellationToken cancellationToken) => Compile(code, cancellationToken);
}
