using AutoRefiner.Core.Pipeline;
using AutoRefiner.Core.State;
using AutoRefiner.Generator.DocComments;
using AutoRefiner.Generator.Instruct;
using AutoRefiner.Generator.Llm;
using AutoRefiner.Generator.Prompts;
using AutoRefiner.Generator.UnitTests;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AutoRefiner.Generator;

/// <summary>Registers the generation stage.</summary>
public static class GeneratorServiceCollectionExtensions
{
    /// <summary>
    /// Adds the generators for <paramref name="tasks"/>; returns the tasks it could not add (<c>instruct</c> without an
    /// <paramref name="llm"/>). The instruct generator needs the configuration, the run's <see cref="RunStats"/> and a
    /// <see cref="TimeProvider"/>; its answers are kept in the registered <see cref="IAnswerStore"/>.
    /// </summary>
    public static IReadOnlyList<string> AddGenerators(this IServiceCollection services, IReadOnlyList<string> tasks, LlmEndpoint? llm = null, int candidates = 1)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        var missing = new List<string>();
        foreach (var task in tasks)
        {
            switch (task)
            {
                case TestsGenerator.TaskName when llm is not null:
                    AddLlm(services, llm);
                    services.AddSingleton<ISampleGenerator>(sp => new TestsGenerator(
                        sp.GetRequiredService<ResponseCache>(),
                        sp.GetRequiredService<RunStats>(),
                        PromptTemplate.Load(TestsGenerator.PromptFile),
                        candidates));
                    break;
                case InstructGenerator.TaskName when llm is not null:
                    AddLlm(services, llm);
                    services.AddSingleton(sp => new InstructGenerator(
                        sp.GetRequiredService<ResponseCache>(),
                        sp.GetRequiredService<RunStats>(),
                        PromptTemplate.Load(InstructGenerator.PromptFile),
                        PromptTemplate.Load(InstructGenerator.RepairPromptFile),
                        PromptTemplate.Load(InstructGenerator.WeakTestsPromptFile),
                        candidates));
                    services.AddSingleton<ISampleGenerator>(sp => sp.GetRequiredService<InstructGenerator>());
                    services.AddSingleton<IRepairer>(sp => sp.GetRequiredService<InstructGenerator>());
                    break;
                case DocCommentGenerator.TaskName:
                    services.AddSingleton<ISampleGenerator, DocCommentGenerator>();
                    break;
                default:
                    missing.Add(task);
                    break;
            }
        }

        return missing;
    }

    /// <summary>The endpoint, its client and the answer cache, once for every generator that asks a model.</summary>
    private static void AddLlm(IServiceCollection services, LlmEndpoint llm)
    {
        services.TryAddSingleton(llm);
        services.TryAddSingleton(sp => new LlmClient(llm, sp.GetRequiredService<RunStats>().Llm, sp.GetRequiredService<RunStats>().Time));
        services.TryAddSingleton(sp => new ResponseCache(
            sp.GetRequiredService<LlmClient>(),
            sp.GetRequiredService<IAnswerStore>(),
            sp.GetRequiredService<RunStats>().Llm,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<RunStats>().Budget));
    }
}
