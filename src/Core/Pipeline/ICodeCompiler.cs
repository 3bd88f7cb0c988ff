using AutoRefiner.Core.Model;

namespace AutoRefiner.Core.Pipeline;

/// <summary>Compiles a C# compilation unit on its own against the base class library.</summary>
public interface ICodeCompiler
{
    /// <summary>Compiles <paramref name="code"/> as a library with the SDK's implicit usings.</summary>
    CompileResult Compile(string code, CancellationToken cancellationToken);

    /// <summary>
    /// Whether <paramref name="code"/> compiles, with its errors as <see cref="Compile"/> gives them, and nothing else: no
    /// unused usings, defect or nullable warnings are looked for, so a compiler may skip the work those take (binding doc
    /// comments, nullable flow analysis). By default, <see cref="Compile"/>.
    /// </summary>
    CompileResult Check(string code, CancellationToken cancellationToken) => Compile(code, cancellationToken);
}
