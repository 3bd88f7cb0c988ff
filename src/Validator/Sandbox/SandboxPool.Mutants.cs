using AutoRefiner.Sandbox;

namespace AutoRefiner.Validator.Sandbox;

/// <summary>Mutation testing runs: one mutant-schemata assembly, one request per mutant, on as few workers as it takes.</summary>
public sealed partial class SandboxPool
{
    /// <summary>
    /// Runs the tests of a mutant-schemata assembly once per mutant in <paramref name="mutants"/>, with the same memory cap
    /// and isolation as an ordinary run, each test limited to <paramref name="testTimeout"/> (at most the configured limit).
    /// The requests go to one worker in a row; with <paramref name="reuse"/> it keeps the assembly loaded between them. A
    /// mutant whose run times out or crashes the worker is killed, and the worker is replaced for the rest, as after any
    /// such run. Results are in the order of <paramref name="mutants"/>.
    /// </summary>
    public async Task<IReadOnlyList<MutantRun>> RunMutantsAsync(byte[] image, IReadOnlyList<int> mutants, TimeSpan testTimeout, bool reuse, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(mutants);
        var limit = testTimeout < _options.TestTimeout ? testTimeout : _options.TestTimeout;
        limit = limit < _options.SampleTimeout ? limit : _options.SampleTimeout;
        var runs = new List<MutantRun>(mutants.Count);
        if (mutants.Count == 0)
        {
            return runs;
        }

        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        SandboxWorker? worker = null;
        try
        {
            for (var i = 0; i < mutants.Count; i++)
            {
                worker ??= _idle.TryTake(out var idle) ? idle : await StartWorkerAsync(cancellationToken).ConfigureAwait(false);
                var request = new RunRequest(image, (int)Math.Min(int.MaxValue, limit.TotalMilliseconds)) { Mutant = mutants[i], KeepLoaded = reuse && i < mutants.Count - 1 };
                SandboxOutcome outcome;
                try
                {
                    outcome = await worker.RunAsync(request, _options.SampleTimeout + TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
                }
                catch
                {
                    worker.Dispose();
                    worker = null;
                    throw;
                }

                runs.Add(MutantRun.From(mutants[i], outcome));
                // A test that ran out of time but whose loop saw the halt flag and ended leaves the worker fit (it does not
                // retire); one still running, a crash, or no answer at all means a fresh worker takes the next mutant.
                if (outcome.Response is null || outcome.Response.Retiring || outcome.End == SandboxEnd.Crashed)
                {
                    worker.Dispose();
                    worker = null;
                    Interlocked.Increment(ref _replaced);
                    _usage?.CountReplaced();
                }
            }
        }
        finally
        {
            if (worker is not null)
            {
                // The last request unloaded the assembly (or the run was cancelled, and the next ordinary run unloads it).
                if (worker.Served < _options.SamplesPerWorker)
                {
                    _idle.Add(worker);
                }
                else
                {
                    worker.Dispose();
                }
            }

            _slots.Release();
        }

        return runs;
    }
}
