using System.Numerics;
using System.Runtime.InteropServices;

namespace AutoRefiner.Core.Curation;

/// <summary>
/// MinHash signatures of token shingles: each shingle of <see cref="ShingleSize"/> consecutive tokens is hashed to 32
/// bits, and for each of <see cref="Permutations"/> hash functions h(x) = a·x + b (mod 2³², a odd, from a fixed seed)
/// the minimum over the shingles is kept. Two signatures agree in a share of places that estimates the Jaccard
/// similarity of the shingle sets. Deterministic; vectorised over the permutations.
/// </summary>
public sealed class MinHasher
{
    private readonly uint[] _a;
    private readonly uint[] _b;

    /// <summary>Creates the hash family.</summary>
    public MinHasher(int permutations = 256, int shingleSize = 5, int seed = 42)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(permutations, 16);
        ArgumentOutOfRangeException.ThrowIfLessThan(shingleSize, 1);
        Permutations = permutations;
        ShingleSize = shingleSize;
        _a = new uint[permutations];
        _b = new uint[permutations];
        var random = new Random(seed);
        for (var i = 0; i < permutations; i++)
        {
            _a[i] = (uint)random.NextInt64(1, uint.MaxValue) | 1;
            _b[i] = (uint)random.NextInt64(0, uint.MaxValue);
        }
    }

    /// <summary>Values per signature.</summary>
    public int Permutations { get; }

    /// <summary>Tokens per shingle.</summary>
    public int ShingleSize { get; }

    /// <summary>The signature of a token sequence; a sequence shorter than a shingle is one shingle.</summary>
    public uint[] Signature(ReadOnlySpan<uint> tokens)
    {
        var signature = new uint[Permutations];
        Array.Fill(signature, uint.MaxValue);
        var count = Math.Max(1, tokens.Length - ShingleSize + 1);
        var width = Vector<uint>.Count;
        var sig = MemoryMarshal.Cast<uint, Vector<uint>>(signature.AsSpan());
        var a = MemoryMarshal.Cast<uint, Vector<uint>>(_a.AsSpan());
        var b = MemoryMarshal.Cast<uint, Vector<uint>>(_b.AsSpan());
        var vectorised = sig.Length * width;
        for (var s = 0; s < count; s++)
        {
            var shingle = Mix(tokens.Slice(s, Math.Min(ShingleSize, tokens.Length - s)));
            var x = new Vector<uint>(shingle);
            for (var v = 0; v < sig.Length; v++)
            {
                sig[v] = Vector.Min(sig[v], (a[v] * x) + b[v]);
            }

            for (var p = vectorised; p < Permutations; p++)
            {
                signature[p] = Math.Min(signature[p], (_a[p] * shingle) + _b[p]);
            }
        }

        return signature;
    }

    /// <summary>Share of positions where two signatures agree: an estimate of the Jaccard similarity.</summary>
    public static double Similarity(ReadOnlySpan<uint> x, ReadOnlySpan<uint> y)
    {
        var same = 0;
        for (var i = 0; i < x.Length; i++)
        {
            same += x[i] == y[i] ? 1 : 0;
        }

        return (double)same / x.Length;
    }

    /// <summary>A shingle as one well-mixed 32-bit value (order-sensitive).</summary>
    private static uint Mix(ReadOnlySpan<uint> shingle)
    {
        var h = 0x811C9DC5u;
        foreach (var t in shingle)
        {
            h = BitOperations.RotateLeft((h ^ t) * 0x9E3779B1u, 13) * 5 + 0xE6546B64u;
        }

        h ^= h >> 16;
        h *= 0x85EBCA6Bu;
        h ^= h >> 13;
        h *= 0xC2B2AE35u;
        return h ^ (h >> 16);
    }
}
