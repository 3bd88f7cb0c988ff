using System.Diagnostics;
using System.Text;
using AutoRefiner.Sandbox;

namespace AutoRefiner.Validator.Sandbox;

/// <summary>One worker process: started with the isolation the pool chose, fed one assembly at a time.</summary>
internal sealed class SandboxWorker : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stderr = new();
    private bool _disposed;

    private SandboxWorker(Process process, string scratch)
    {
        _process = process;
        Scratch = scratch;
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_stderr)
                {
                    // The runtime's last words (a stack overflow, an out-of-memory abort) are what matters; keep the tail.
                    if (_stderr.Length > 4000)
                    {
                        _stderr.Remove(0, _stderr.Length - 2000);
                    }

                    _stderr.AppendLine(e.Data);
                }
            }
        };
        _process.BeginErrorReadLine();
    }

    /// <summary>Its scratch directory (its working directory, HOME and TMPDIR).</summary>
    public string Scratch { get; }

    /// <summary>Samples it has run.</summary>
    public int Served { get; private set; }

    /// <summary>The process id.</summary>
    public int Id => _process.Id;

    /// <summary>Starts a worker and waits for its "ready" frame.</summary>
    public static async Task<SandboxWorker> StartAsync(IReadOnlyList<string> command, IReadOnlyDictionary<string, string> environment, string scratch, TimeSpan startTimeout)
    {
        var start = new ProcessStartInfo(command[0])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = scratch,
        };
        foreach (var arg in command.Skip(1))
        {
            start.ArgumentList.Add(arg);
        }

        // Nothing of ours is inherited: no tokens, no keys, no paths to our files beyond what the runtime needs.
        start.Environment.Clear();
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {command[0]}");
        var worker = new SandboxWorker(process, scratch);
        try
        {
            using var timeout = new CancellationTokenSource(startTimeout);
            var ready = await Protocol.ReadAsync<RunResponse>(process.StandardOutput.BaseStream, timeout.Token).ConfigureAwait(false);
            if (ready?.Error != "ready")
            {
                throw new InvalidOperationException($"the worker did not start: {worker.LastWords()}");
            }

            return worker;
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or InvalidDataException or EndOfStreamException)
        {
            var words = worker.LastWords();
            worker.Dispose();
            throw new InvalidOperationException($"the worker did not start: {(e is OperationCanceledException ? "it did not answer in time" : "its pipe broke")}; {words}", e);
        }
        catch
        {
            worker.Dispose();
            throw;
        }
    }

    /// <summary>Runs one assembly's tests; the worker must be disposed unless the outcome is a completed, non-retiring run.</summary>
    public Task<SandboxOutcome> RunAsync(byte[] image, TimeSpan testTimeout, TimeSpan sampleTimeout, CancellationToken cancellationToken) =>
        RunAsync(new RunRequest(image, (int)Math.Min(int.MaxValue, testTimeout.TotalMilliseconds)), sampleTimeout, cancellationToken);

    /// <summary>Sends one request (an ordinary run or one mutant's); the same rules as for an ordinary run.</summary>
    public async Task<SandboxOutcome> RunAsync(RunRequest request, TimeSpan sampleTimeout, CancellationToken cancellationToken)
    {
        Served++;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(sampleTimeout);
        try
        {
            await Protocol.WriteAsync(_process.StandardInput.BaseStream, request, timeout.Token).ConfigureAwait(false);
            var response = await Protocol.ReadAsync<RunResponse>(_process.StandardOutput.BaseStream, timeout.Token).ConfigureAwait(false);
            if (response is null)
            {
                return Died();
            }

            var timedOut = response.Tests.FirstOrDefault(t => t.Outcome == "timeout");
            if (timedOut is not null)
            {
                return new SandboxOutcome(SandboxEnd.Timeout, response, $"{timedOut.Name}: {timedOut.Message}");
            }

            var crashed = response.Tests.FirstOrDefault(t => t.Outcome == "crashed");
            return crashed is not null
                ? new SandboxOutcome(SandboxEnd.Crashed, response, $"{crashed.Name}: {crashed.Message}")
                : response.Error?.StartsWith("crashed:", StringComparison.Ordinal) == true
                    ? new SandboxOutcome(SandboxEnd.Crashed, response, response.Error)
                    : new SandboxOutcome(SandboxEnd.Completed, response, response.Error ?? "");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new SandboxOutcome(SandboxEnd.Timeout, null, $"the tests did not finish within {sampleTimeout.TotalSeconds:0.#} s (validation.timeout-seconds)");
        }
        catch (Exception e) when (e is IOException or EndOfStreamException or InvalidDataException or System.Text.Json.JsonException)
        {
            return Died(e is InvalidDataException ? e.Message : null);
        }
    }

    private SandboxOutcome Died(string? why = null)
    {
        // Give the runtime a moment to finish writing its last words and exit.
        _process.WaitForExit(2000);
        var exit = _process.HasExited ? _process.ExitCode : (int?)null;
        var words = LastWords();
        var cause = words.Contains("Stack overflow", StringComparison.OrdinalIgnoreCase) ? "stack overflow"
            : words.Contains("OutOfMemory", StringComparison.OrdinalIgnoreCase) || words.Contains("out of memory", StringComparison.OrdinalIgnoreCase) ? "out of memory"
            : exit is { } code && code != 0 ? $"exit code {code}{Signal(code)}"
            : why ?? "the worker ended without answering";
        return new SandboxOutcome(SandboxEnd.Crashed, null, $"the test process died: {cause}{(words.Length > 0 && cause is not ("stack overflow" or "out of memory") ? $" ({First(words)})" : "")}");
    }

    private static string Signal(int code) => code switch
    {
        134 => " (SIGABRT)",
        137 => " (SIGKILL)",
        139 => " (SIGSEGV)",
        _ => "",
    };

    private static string First(string words)
    {
        var line = words.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "";
        return line.Length <= 200 ? line : line[..200] + "…";
    }

    private string LastWords()
    {
        lock (_stderr)
        {
            return _stderr.ToString().Trim();
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // Already gone.
        }

        _process.Dispose();
        try
        {
            Directory.Delete(Scratch, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A file the program left open; the pool's own folder is removed at the end.
        }
    }
}
