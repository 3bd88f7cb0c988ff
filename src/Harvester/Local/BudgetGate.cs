namespace AutoRefiner.Harvester.Local;

/// <summary>
/// Admits pieces of work while fewer than <paramref name="degree"/> run and their costs fit <paramref name="budget"/>
/// together; a piece is always admitted when none runs, so one larger than the budget runs alone.
/// </summary>
internal sealed class BudgetGate(int degree, long budget)
{
    private readonly Lock _lock = new();
    private int _running;
    private long _used;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Waits until a piece of this cost may start, and counts it as running.</summary>
    public async Task EnterAsync(long weight, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                if (_running == 0 || (_running < degree && _used + weight <= budget))
                {
                    _running++;
                    _used += weight;
                    return;
                }

                changed = _changed.Task;
            }

            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A piece of this cost has finished.</summary>
    public void Leave(long weight)
    {
        TaskCompletionSource changed;
        lock (_lock)
        {
            _running--;
            _used -= weight;
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }
}
