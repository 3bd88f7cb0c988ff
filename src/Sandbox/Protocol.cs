using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace AutoRefiner.Sandbox;

/// <summary>
/// The conversation between the validator and a worker, over the worker's stdin and stdout: frames of a 4-byte
/// little-endian length, a 4-byte magic, and a UTF-8 JSON body. The magic lets the parent tell a frame from bytes a
/// generated program wrote to stdout by some way the deny-list missed (the worker is then treated as crashed).
/// </summary>
public static class Protocol
{
    /// <summary>Marks every frame.</summary>
    public const uint Magic = 0x41525342; // "ARSB"

    /// <summary>Largest frame accepted either way.</summary>
    public const int MaxFrameBytes = 64 * 1024 * 1024;

    /// <summary>JSON settings of the bodies.</summary>
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Writes one frame.</summary>
    public static async Task WriteAsync<T>(Stream stream, T message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var body = JsonSerializer.SerializeToUtf8Bytes(message, Json);
        var header = new byte[8];
        BinaryPrimitives.WriteInt32LittleEndian(header, body.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(4), Magic);
        await stream.WriteAsync(header, cancellationToken).ConfigureAwait(false);
        await stream.WriteAsync(body, cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads one frame; null at the end of the stream; <see cref="InvalidDataException"/> when it is not a frame.</summary>
    public static async Task<T?> ReadAsync<T>(Stream stream, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(stream);
        var header = new byte[8];
        if (!await FillAsync(stream, header, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var length = BinaryPrimitives.ReadInt32LittleEndian(header);
        if (BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(4)) != Magic || length < 0 || length > MaxFrameBytes)
        {
            throw new InvalidDataException("the worker's output is not a protocol frame (something else wrote to its stdout)");
        }

        var body = new byte[length];
        if (!await FillAsync(stream, body, cancellationToken).ConfigureAwait(false))
        {
            throw new EndOfStreamException("the worker's output ended inside a frame");
        }

        return JsonSerializer.Deserialize<T>(body, Json) ?? throw new InvalidDataException("an empty frame");
    }

    private static async Task<bool> FillAsync(Stream stream, byte[] buffer, CancellationToken cancellationToken)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                return read == 0 ? false : throw new EndOfStreamException("the stream ended inside a frame");
            }

            read += n;
        }

        return true;
    }
}

/// <summary>Run the tests of one compiled assembly.</summary>
/// <param name="Assembly">The PE image.</param>
/// <param name="TestTimeoutMs">Longest time one test may take.</param>
public sealed record RunRequest(byte[] Assembly, int TestTimeoutMs)
{
    /// <summary>
    /// Mutation testing: the id of the mutant of a mutant-schemata assembly to switch on (its <c>__ArMutant.Id</c>) before
    /// the tests run; they stop at the first failure (the mutant is killed). Null for an ordinary run.
    /// </summary>
    public int? Mutant { get; init; }

    /// <summary>Keep the assembly loaded for the next mutant of the same image (no static state would leak between them).</summary>
    public bool KeepLoaded { get; init; }
}

/// <summary>What happened to the tests of one assembly.</summary>
/// <param name="Tests">Each test, in discovery order.</param>
/// <param name="Error">Why the assembly could not be run at all (not loadable, no tests), or null.</param>
public sealed record RunResponse(IReadOnlyList<TestResult> Tests, string? Error)
{
    /// <summary>
    /// The worker cannot be trusted with another assembly: a test ran past its time and its thread is still running,
    /// ran out of memory, or left something that keeps the assembly from unloading. It exits after this answer.
    /// </summary>
    public bool Retiring { get; init; }

    /// <summary>The tests ended but work they started is still running: a thread, thread-pool work or a timer.</summary>
    public bool LeftRunning { get; init; }

    /// <summary>What was still running when <see cref="LeftRunning"/> (<c>2 threads, 1 timer</c>), or null.</summary>
    public string? Running { get; init; }
}

/// <summary>One test's result.</summary>
/// <param name="Name"><c>Class.Method</c>, with the data row for a theory (<c>Class.Method(1, "a")</c>).</param>
/// <param name="Outcome"><c>passed</c>, <c>failed</c>, <c>timeout</c> or <c>crashed</c> (out of memory, a fatal runtime error).</param>
/// <param name="Message">The failure as the exception says it (xunit's assertion messages verbatim), or null.</param>
/// <param name="Milliseconds">Time taken.</param>
public sealed record TestResult(string Name, string Outcome, string? Message, double Milliseconds);
