using AutoRefiner.Core.Config;
using AutoRefiner.Core.Pipeline;
using AutoRefiner.Validator.Mutation;
using AutoRefiner.Validator.Sandbox;
using Microsoft.Extensions.DependencyInjection;

namespace AutoRefiner.Validator;

/// <summary>Registers the validation stage.</summary>
public static class ValidatorServiceCollectionExtensions
{
    /// <summary>
    /// Adds the Roslyn compiler (also used by the harvester to check seeds) and the validator: compile-only for samples
    /// without tests, compile + deny-list + sandboxed test run for samples with tests. Needs the configuration.
    /// </summary>
    public static IServiceCollection AddValidator(this IServiceCollection services)
    {
        // One compiler for the harvest and the validator: a seed's context compiled to accept it is not compiled again to judge its row.
        services.AddSingleton<ICodeCompiler>(_ => new CompileResultCache(new RoslynCompiler()));
        services.AddSingleton(sp => new CompileValidator(sp.GetRequiredService<ICodeCompiler>()));
        services.AddSingleton(sp =>
        {
            var validation = sp.GetRequiredService<HarvestConfig>().Validation;
            return new SandboxPool(SandboxOptions.From(validation), sp.GetService<RunStats>()?.Sandbox);
        });
        services.AddSingleton<ICandidateValidator>(sp =>
        {
            var validation = sp.GetRequiredService<HarvestConfig>().Validation;
            var pool = sp.GetRequiredService<SandboxPool>();
            return new TestValidator(sp.GetRequiredService<CompileValidator>(), pool, validation.Tests, new MutationTester(pool, validation.Mutants, validation.MinMutationScore));
        });
        return services;
    }
}
