using AutoRefiner.Core.Pipeline;
using Microsoft.Extensions.DependencyInjection;

namespace AutoRefiner.Validator;

/// <summary>Registers the validation stage.</summary>
public static class ValidatorServiceCollectionExtensions
{
    /// <summary>Adds the Roslyn compiler (also used by the harvester to check seeds) and the compile validator.</summary>
    public static IServiceCollection AddValidator(this IServiceCollection services)
    {
        services.AddSingleton<ICodeCompiler, RoslynCompiler>();
        services.AddSingleton<ICandidateValidator, CompileValidator>();
        return services;
    }
}
