using AutoRefiner.Core.Pipeline;
using AutoRefiner.Generator.DocComments;
using Microsoft.Extensions.DependencyInjection;

namespace AutoRefiner.Generator;

/// <summary>Registers the generation stage.</summary>
public static class GeneratorServiceCollectionExtensions
{
    /// <summary>Adds the generators for <paramref name="tasks"/> that this build has; returns the tasks it could not add.</summary>
    public static IReadOnlyList<string> AddGenerators(this IServiceCollection services, IReadOnlyList<string> tasks)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        var missing = new List<string>();
        foreach (var task in tasks)
        {
            switch (task)
            {
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
}
