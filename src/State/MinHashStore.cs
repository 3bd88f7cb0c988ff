using AutoRefiner.Core.State;

namespace AutoRefiner.State;

/// <summary>The <c>minhash</c> table: signatures of kept seeds and samples, the near-duplicate index across runs.</summary>
public sealed class MinHashStore : IMinHashStore
{
    private readonly StateDatabase _db;

    internal MinHashStore(StateDatabase database) => _db = database;

    /// <inheritdoc />
    public IEnumerable<(string Id, uint[] Signature)> MinHashes(string kind, int permutations)
    {
        List<(string, uint[])> all = [];
        lock (_db.Gate)
        {
            using var query = _db.Command("SELECT id, signature FROM minhash WHERE kind = $kind ORDER BY rowid", ("$kind", kind));
            using var reader = query.ExecuteReader();
            while (reader.Read())
            {
                var bytes = (byte[])reader.GetValue(1);
                if (bytes.Length == permutations * sizeof(uint))
                {
                    all.Add((reader.GetString(0), System.Runtime.InteropServices.MemoryMarshal.Cast<byte, uint>(bytes).ToArray()));
                }
            }
        }

        return all;
    }

    /// <inheritdoc />
    public void PutMinHash(string kind, string id, uint[] signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        lock (_db.Gate)
        {
            using var command = _db.Command(
                "INSERT OR IGNORE INTO minhash (kind, id, signature) VALUES ($kind, $id, $signature)",
                ("$kind", kind), ("$id", id), ("$signature", System.Runtime.InteropServices.MemoryMarshal.AsBytes(signature.AsSpan()).ToArray()));
            command.ExecuteNonQuery();
        }
    }
}
