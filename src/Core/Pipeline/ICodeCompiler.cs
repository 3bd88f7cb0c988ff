using AutoRefiner.Core.Model;

namespace AutoRefiner.Core.Pipeline;

/// <summary>Compiles a C# compilation unit on its own against the base class library.</summary>
public interface ICodeCompiler
{
    /// <summary>Compiles <paramref name="code"/> as a library with the SDK's implicit usings.</summary>
    CompileResult Compile(string code, CancellationToken cancellationToken);
}
