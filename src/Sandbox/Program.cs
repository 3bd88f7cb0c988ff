using AutoRefiner.Sandbox;

// The sandbox worker: reads run requests from stdin and answers on stdout, one at a time, until stdin closes.
// Generated code runs in this process; it gets no console (its reads see nothing, its writes go nowhere), so the
// protocol streams, taken before any of it runs, are the only ones that matter.
// Ctrl+C reaches the whole process group: the validator decides when a worker ends (it closes stdin or kills it).
using var interrupt = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, context => context.Cancel = true);
using var quit = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGQUIT, context => context.Cancel = true);

var input = Console.OpenStandardInput();
var output = Console.OpenStandardOutput();
Console.SetIn(TextReader.Null);
Console.SetOut(TextWriter.Null);
Console.SetError(TextWriter.Null);

// Announce readiness (and prove the protocol works) before the first request.
await Protocol.WriteAsync(output, new RunResponse([], "ready"), CancellationToken.None);
while (await Protocol.ReadAsync<RunRequest>(input, CancellationToken.None) is { } request)
{
    RunResponse response;
    try
    {
        var testTimeout = TimeSpan.FromMilliseconds(Math.Max(1, request.TestTimeoutMs));
        response = request.Mutant is { } mutant
            ? MutantRunner.Run(request.Assembly, mutant, request.KeepLoaded, testTimeout)
            : MutantRunner.ReleaseThen(() => TestRunner.Run(request.Assembly, testTimeout));
    }
    catch (OutOfMemoryException e)
    {
        response = new RunResponse([], $"crashed: {e.GetType().FullName}: {e.Message}") { Retiring = true };
    }

    await Protocol.WriteAsync(output, response, CancellationToken.None);
    if (response.Retiring)
    {
        // A test's thread may still run, or memory is spent: end here, and the validator starts a fresh worker.
        Environment.Exit(3);
    }
}

return 0;
