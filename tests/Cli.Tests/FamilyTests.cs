using System.Text.Json;

namespace AutoRefiner.Cli.Tests;

/// <summary>Families of doc-comment rows, end to end: what a harvest keeps of them, and what its manifest says.</summary>
public sealed class FamilyTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>
    /// Five overloads that share a doc sentence; four members of one file in their own words; two types with the same
    /// member under other names.
    /// </summary>
    private string WriteSource()
    {
        var bodies = new[]
        {
            ("int", "var text = value.ToString(\"D2\", System.Globalization.CultureInfo.InvariantCulture);\n        return \"[\" + text + \"]\";"),
            ("long", "if (value < 0)\n            return \"[-\" + (-value) + \"]\";\n        return \"[\" + value + \"]\";"),
            ("short", "var padded = value.ToString(System.Globalization.CultureInfo.InvariantCulture).PadLeft(6, '0');\n        return $\"[{padded}]\";"),
            ("byte", "var hex = value.ToString(\"X2\", System.Globalization.CultureInfo.InvariantCulture);\n        return \"[0x\" + hex + \"]\";"),
            ("sbyte", "var sign = value < 0 ? \"-\" : \"+\";\n        return \"[\" + sign + Math.Abs((int)value) + \"]\";"),
        };
        var overloads = string.Concat(bodies.Select(b => $$"""

                /// <summary>Writes a <see cref="{{b.Item1}}"/> value in brackets, zero-padded.</summary>
                public string Write({{b.Item1}} value)
                {
                    {{b.Item2}}
                }

            """));
        _dir.Write("lib/Writer.cs", $$"""
            public sealed class Writer
            {{{overloads}}}
            """);
        _dir.Write("lib/Words.cs", """
            public static class Words
            {
                /// <summary>Joins the words with single spaces, dropping empty ones.</summary>
                public static string Join(string[] words)
                {
                    var kept = words.Where(w => w.Length > 0);
                    return string.Join(' ', kept);
                }

                /// <summary>Counts the vowels, in either case.</summary>
                public static int Vowels(string text)
                {
                    var lower = text.ToLowerInvariant();
                    return lower.Count(c => "aeiou".Contains(c));
                }

                /// <summary>Reverses the order of the letters.</summary>
                public static string Backwards(string text)
                {
                    var letters = text.ToCharArray();
                    Array.Reverse(letters);
                    return new string(letters);
                }

                /// <summary>Upper-cases the first letter and leaves the rest alone.</summary>
                public static string Capitalise(string text)
                {
                    if (text.Length == 0)
                        return text;
                    return char.ToUpperInvariant(text[0]) + text[1..];
                }
            }
            """);
        _dir.Write("lib/Flags.cs", """
            public sealed class FieldFlags
            {
                private int attributes;

                /// <summary>Sets or clears the given bits of the field's flags.</summary>
                public void Modify(bool set, int flags)
                {
                    if (set)
                        attributes |= flags;
                    else
                        attributes &= ~flags;
                }
            }

            public sealed class PropertyFlags
            {
                private int bits;

                /// <summary>Turns the property's flag bits on or off.</summary>
                public void Change(bool on, int mask)
                {
                    if (on)
                        bits |= mask;
                    else
                        bits &= ~mask;
                }
            }
            """);
        return _dir.Combine("lib");
    }

    private static JsonElement Counts(JsonDocument manifest) => manifest.RootElement.GetProperty("counts");

    // The same member under other names is left out by whichever check meets it first: the near-duplicate filter (which
    // canonicalises every declared name) or the family filter's duplicate-member.
    private static long SameMember(JsonElement rejected) =>
        (rejected.TryGetProperty("near-duplicate", out var near) ? near.GetInt64() : 0) +
        (rejected.TryGetProperty("duplicate-member", out var same) ? same.GetInt64() : 0);

    private static IEnumerable<string> SameMemberExamples(JsonElement examples) =>
        new[] { "near-duplicate", "duplicate-member" }.SelectMany(k => examples.TryGetProperty(k, out var list) ? list.EnumerateArray().Select(e => e.GetString()!) : []);

    [Fact]
    public async Task Harvest_Families_KeepsTheFirstThreeOfATemplate_OneOfTheSameMember_AndSaysWhyInTheManifest()
    {
        var source = WriteSource();
        var outDir = _dir.Combine("out");

        var result = await CliRunner.RunAsync(["harvest", "--source", source, "--out", outDir, "--state", _dir.Combine("s.db")]);

        Assert.True(result.ExitCode == 0, result.Output + result.Errors);
        var rows = CliRunner.ReadAllJsonlRows(outDir);
        var written = rows.Select(r => r.GetProperty("response").GetString()!).ToList();
        Assert.Equal(3, written.Count(r => r.Contains("public string Write(", StringComparison.Ordinal)));
        Assert.Contains(written, r => r.Contains("Write(int value)", StringComparison.Ordinal));
        Assert.Contains(written, r => r.Contains("Write(short value)", StringComparison.Ordinal));
        Assert.DoesNotContain(written, r => r.Contains("Write(byte value)", StringComparison.Ordinal));
        Assert.Equal(1, written.Count(r => r.Contains("void Modify(", StringComparison.Ordinal) || r.Contains("void Change(", StringComparison.Ordinal)));
        Assert.Equal(3, written.Count(r => r.Contains("Join(", StringComparison.Ordinal) || r.Contains("Vowels(", StringComparison.Ordinal) || r.Contains("Backwards(", StringComparison.Ordinal) || r.Contains("Capitalise(", StringComparison.Ordinal)));
        Assert.DoesNotContain(written, r => r.Contains("Capitalise(", StringComparison.Ordinal));

        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "manifest.json")));
        var rejected = Counts(manifest).GetProperty("seeds_rejected");
        Assert.Equal(2, rejected.GetProperty("template-cap").GetInt64());
        Assert.Equal(1, SameMember(rejected));
        Assert.Equal(1, rejected.GetProperty("file-cap").GetInt64());
        var examples = Counts(manifest).GetProperty("seed_reject_examples");
        Assert.Contains(examples.GetProperty("template-cap").EnumerateArray(), e => e.GetString()!.EndsWith("Write: \"writes a X in brackets, zero-padded\" already has 3 rows (curation.max-per-template)", StringComparison.Ordinal));
        Assert.Contains(examples.GetProperty("file-cap").EnumerateArray(), e => e.GetString()!.EndsWith("Words.cs:26 Capitalise: its file already has 3 rows (curation.max-per-file)", StringComparison.Ordinal));
        Assert.Contains(SameMemberExamples(examples), e => e.Contains("Change: the same member as ", StringComparison.Ordinal) || e.Contains("Change: near-duplicate of seed ", StringComparison.Ordinal));
        Assert.Contains("template-cap 2", result.Output, StringComparison.Ordinal);
        Assert.Contains("doc-comment families, within each repository: one row per member shape, at most 3 rows per doc template, at most 3 rows per file", File.ReadAllText(Path.Combine(outDir, "README.md")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Harvest_CapsOff_KeepsEveryOverload_ButStillOneOfTheSameMember()
    {
        var source = WriteSource();
        var config = _dir.Write("harvest.yml", "curation:\n  max-per-template: 0\n  max-per-file: 0\n");
        var outDir = _dir.Combine("out");

        var result = await CliRunner.RunAsync(["harvest", "--config", config, "--source", source, "--out", outDir, "--state", _dir.Combine("s.db")]);

        Assert.True(result.ExitCode == 0, result.Output + result.Errors);
        var written = CliRunner.ReadAllJsonlRows(outDir).Select(r => r.GetProperty("response").GetString()!).ToList();
        Assert.Equal(5, written.Count(r => r.Contains("public string Write(", StringComparison.Ordinal)));
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "manifest.json")));
        var rejected = Counts(manifest).GetProperty("seeds_rejected");
        Assert.False(rejected.TryGetProperty("template-cap", out _));
        Assert.False(rejected.TryGetProperty("file-cap", out _));
        Assert.Equal(4, written.Count(r => r.Contains("Join(", StringComparison.Ordinal) || r.Contains("Vowels(", StringComparison.Ordinal) || r.Contains("Backwards(", StringComparison.Ordinal) || r.Contains("Capitalise(", StringComparison.Ordinal)));
        Assert.Equal(1, SameMember(rejected));
    }

    [Fact]
    public async Task Harvest_ABadCap_NamesFileLineAndKey()
    {
        var config = _dir.Write("harvest.yml", "curation:\n  max-per-file: -2\n");

        var result = await CliRunner.RunAsync(["harvest", "--config", config, "--source", WriteSource(), "--out", _dir.Combine("out"), "--state", _dir.Combine("s.db")]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("harvest.yml:2: curation.max-per-file: must be between 0 and 1000000, not -2", result.Errors, StringComparison.Ordinal);
    }
}
