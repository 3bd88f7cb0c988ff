using AutoRefiner.CSharp.Curation;
using AutoRefiner.Core.Config;
using AutoRefiner.Core.Curation;
using AutoRefiner.Core.Model;

namespace AutoRefiner.Core.Tests.Curation;

public sealed class FamilyFilterTests
{
    private static Seed DocSeed(string type, string name, string signature, string member, string summary, string path = "a.cs", string returns = "") => new()
    {
        Id = AutoRefiner.Core.Text.ContentHash.Of(type, member, path),
        Name = name,
        Signature = signature,
        ContainingType = $"class {type}",
        Doc = new DocComment { Summary = summary, Returns = returns },
        Code = $"class {type}\n{{\n{member}\n}}\n",
        Context = $"class {type}\n{{\n    {signature} {{ throw new NotImplementedException(); }}\n}}\n",
        Member = member,
        Provenance = new Provenance("o/r", path, "", "MIT", "") { Lines = "10-14" },
    };

    private static (Seed? Kept, string? Reason, string? Example) Run(FamilyFilter filter, Seed seed)
    {
        var kept = filter.Filter(seed, out var reason, out var example);
        return (kept, reason, example);
    }

    [Fact]
    public void Filter_TheSameMemberUnderOtherNames_IsADuplicateMember_ADifferentOperatorIsNot()
    {
        var filter = new FamilyFilter(new CurationConfig { MaxPerTemplate = 0, MaxPerFile = 0 });
        var field = DocSeed("FieldDef", "ModifyAttributes", "void ModifyAttributes(bool set, FieldAttributes flags)",
            "void ModifyAttributes(bool set, FieldAttributes flags) {\n    if (set)\n        attributes |= (int)flags;\n    else\n        attributes &= ~(int)flags;\n}",
            "Set or clear flags in `attributes`", "FieldDef.cs");
        var property = DocSeed("PropertyDef", "ModifyAttributes", "void ModifyAttributes(bool on, PropertyAttributes bits)",
            "void ModifyAttributes(bool on, PropertyAttributes bits)\n{\n    // the same, other names\n    if (on)\n        flagsField |= (int)bits;\n    else\n        flagsField &= ~(int)bits;\n}",
            "Sets or clears bits of the property's flags", "PropertyDef.cs");
        var other = DocSeed("EventDef", "ModifyAttributes", "void ModifyAttributes(bool set, EventAttributes flags)",
            "void ModifyAttributes(bool set, EventAttributes flags) {\n    if (set)\n        attributes ^= (int)flags;\n    else\n        attributes &= ~(int)flags;\n}",
            "Toggles or clears flags", "EventDef.cs");

        Assert.NotNull(Run(filter, field).Kept);
        var (kept, reason, example) = Run(filter, property);
        Assert.Null(kept);
        Assert.Equal(FamilyFilter.Reasons.DuplicateMember, reason);
        Assert.Equal("o/r/PropertyDef.cs:10 ModifyAttributes: the same member as o/r/FieldDef.cs:10 ModifyAttributes under other names", example);
        Assert.NotNull(Run(filter, other).Kept);
    }

    [Fact]
    public void Filter_NearlyTheSameMember_IsADuplicateMember_WithItsSimilarity()
    {
        var filter = new FamilyFilter(new CurationConfig { MaxPerTemplate = 0, MaxPerFile = 0 });
        var equiZip = DocSeed("MoreEnumerable", "EquiZip", "public static IEnumerable<TResult> EquiZip<T1, T2, TResult>(this IEnumerable<T1> first, IEnumerable<T2> second, Func<T1, T2, TResult> resultSelector)",
            """
            public static IEnumerable<TResult> EquiZip<T1, T2, TResult>(this IEnumerable<T1> first, IEnumerable<T2> second, Func<T1, T2, TResult> resultSelector)
            {
                if (first == null) throw new ArgumentNullException(nameof(first));
                if (second == null) throw new ArgumentNullException(nameof(second));
                if (resultSelector == null) throw new ArgumentNullException(nameof(resultSelector));
                return EquiZipImpl<T1, T2, object, object, TResult>(first, second, null, null, (a, b, _, _) => resultSelector(a, b));
            }
            """, "Returns a projection of tuples, where each tuple contains the N-th element from each of the argument sequences; the sequences must be of equal length.", "EquiZip.cs");
        var zipLongest = DocSeed("MoreEnumerable", "ZipLongest", "public static IEnumerable<TResult> ZipLongest<T1, T2, TResult>(this IEnumerable<T1> first, IEnumerable<T2> second, Func<T1?, T2?, TResult> resultSelector)",
            """
            public static IEnumerable<TResult> ZipLongest<T1, T2, TResult>(this IEnumerable<T1> first, IEnumerable<T2> second, Func<T1?, T2?, TResult> resultSelector)
            {
                if (first == null) throw new ArgumentNullException(nameof(first));
                if (second == null) throw new ArgumentNullException(nameof(second));
                if (resultSelector == null) throw new ArgumentNullException(nameof(resultSelector));
                return ZipImpl<T1, T2, object, object, TResult>(first, second, null, null, (a, b, _, _) => resultSelector(a, b), 1);
            }
            """, "Returns a projection of tuples up to the longest sequence, padding the shorter ones with defaults.", "ZipLongest.cs");

        Assert.NotNull(Run(filter, equiZip).Kept);
        var (kept, reason, example) = Run(filter, zipLongest);

        Assert.Null(kept);
        Assert.Equal(FamilyFilter.Reasons.DuplicateMember, reason);
        Assert.Matches(@"^o/r/ZipLongest\.cs:10 ZipLongest: nearly the same member as o/r/EquiZip\.cs:10 EquiZip under other names \(Jaccard similarity 0\.\d\d\)$", example);
    }

    [Fact]
    public void Filter_FamiliesAreJudgedWithinOneRepository_SoAShardedRunKeepsWhatOneRunKeeps()
    {
        var filter = new FamilyFilter(new CurationConfig { MaxPerTemplate = 1, MaxPerFile = 1 });
        var seed = DocSeed("Flags", "Modify", "void Modify(bool set, int flags)",
            "void Modify(bool set, int flags) {\n    if (set)\n        attributes |= flags;\n    else\n        attributes &= ~flags;\n}", "Sets or clears the given bits.");

        Assert.NotNull(Run(filter, seed).Kept);
        Assert.NotNull(Run(filter, seed with { Provenance = new Provenance("other/repo", "a.cs", "", "MIT", "") }).Kept);
        Assert.Equal(FamilyFilter.Reasons.DuplicateMember, Run(filter, seed with { Provenance = new Provenance("o/r", "b.cs", "", "MIT", "") }).Reason);
    }

    [Fact]
    public void Filter_SmallMembersThatDifferInTheirConstant_AreNotDuplicates()
    {
        // Thirteen tokens, two of nine shingles apart: a Jaccard similarity of 0.64, which MinHash estimates at 0.70.
        var filter = new FamilyFilter(new CurationConfig { MaxPerTemplate = 0, MaxPerFile = 0 });

        Assert.NotNull(Run(filter, DocSeed("Ops1", "Add2", "public static int Add2(int x)", "public static int Add2(int x) => x + 12;", "Repo 1 adds 2.", "Ops1.cs")).Kept);
        Assert.NotNull(Run(filter, DocSeed("Ops2", "Add2", "public static int Add2(int x)", "public static int Add2(int x) => x + 22;", "Repo 2 adds 2.", "Ops2.cs")).Kept);
    }

    [Fact]
    public void Filter_OneDocTemplateWithOtherNames_KeepsTheFirstThree_AndSaysWhy()
    {
        var filter = new FamilyFilter(new CurationConfig { MaxPerFile = 0 });
        var kinds = new[] { "Int32", "Int64", "Double", "Decimal" };
        var results = kinds.Select((k, i) => Run(filter, DocSeed("JsonWriter", "WriteValue", $"public void WriteValue({k.ToLowerInvariant()} value)",
            $"public void WriteValue({k.ToLowerInvariant()} value)\n{{\n    InternalWriteValue(JsonToken.{k});\n    WriteRaw(value.ToString(\"R{i}\", CultureInfo.InvariantCulture));\n}}",
            $"Writes a `{k}` value."))).ToList();

        Assert.All(results.Take(3), r => Assert.NotNull(r.Kept));
        Assert.Null(results[3].Kept);
        Assert.Equal(FamilyFilter.Reasons.TemplateCap, results[3].Reason);
        Assert.Equal("o/r/a.cs:10 WriteValue: \"writes a X\" already has 3 rows (curation.max-per-template)", results[3].Example);

        // Its own words are its own template.
        var own = Run(filter, DocSeed("JsonWriter", "WriteValue", "public void WriteValue(Guid value)",
            "public void WriteValue(Guid value)\n{\n    InternalWriteValue(JsonToken.String);\n    WriteRaw(value.ToString(\"D\"));\n}",
            "Writes a GUID as its 32 digits with hyphens, in quotes."));
        Assert.NotNull(own.Kept);
    }

    [Fact]
    public void Filter_OneFile_KeepsTheFirstThree_ARejectedSeedTakesNoPlace_AndZeroIsNoCap()
    {
        var filter = new FamilyFilter(new CurationConfig { MaxPerTemplate = 1 });
        Seed Nth(int i, string summary) => DocSeed("Maths", $"F{i}", $"public static int F{i}(int x)",
            $"public static int F{i}(int x)\n{{\n    var y = x * {i + 2};\n    return y - {i};\n}}", summary);

        Assert.NotNull(Run(filter, Nth(0, "Scales by two.")).Kept);
        Assert.Equal(FamilyFilter.Reasons.TemplateCap, Run(filter, Nth(1, "Scales by two.")).Reason); // no place taken
        Assert.NotNull(Run(filter, Nth(2, "Triples and subtracts two.")).Kept);
        Assert.NotNull(Run(filter, Nth(3, "Quadruples, less three.")).Kept);
        var fourth = Run(filter, Nth(4, "Five times, less four."));
        Assert.Null(fourth.Kept);
        Assert.Equal(FamilyFilter.Reasons.FileCap, fourth.Reason);
        Assert.Equal("o/r/a.cs:10 F4: its file already has 3 rows (curation.max-per-file)", fourth.Example);
        Assert.NotNull(Run(filter, Nth(5, "Six times, less five.") with { Provenance = new Provenance("o/r", "b.cs", "", "MIT", "") }).Kept);

        var uncapped = new FamilyFilter(new CurationConfig { MaxPerTemplate = 0, MaxPerFile = 0 });
        Assert.All(Enumerable.Range(0, 6), i => Assert.NotNull(Run(uncapped, Nth(i, "Scales.")).Kept));
    }

    [Fact]
    public void Filter_AnInspirationSeed_PassesUncounted()
    {
        var filter = new FamilyFilter(new CurationConfig { MaxPerFile = 1 });
        var idea = DocSeed("A", "Go", "void Go()", "void Go() { Step(); Step(); }", "Goes.") with { SelfContained = false, Context = "", Member = "" };

        Assert.NotNull(Run(filter, idea).Kept);
        Assert.NotNull(Run(filter, idea with { Id = "other" }).Kept);
    }

    [Theory]
    [InlineData("Gets or sets the `Foo`.", "Gets or sets the `BarBaz` .", true)]
    [InlineData("Releases the unmanaged resources used by the JsonReader and optionally releases the managed resources.", "Releases the unmanaged resources used by the XmlNodeReader and optionally releases the managed resources", true)]
    [InlineData("Determines whether the specified `Object` is equal to this instance.", "Determines whether the specified `JToken` is equal to the current `JValue`.", false)]
    [InlineData("Repo 0 adds 1.", "Repo 3 adds 1.", false)]
    public void DocTemplate_MasksNamesNotWords(string a, string b, bool same)
    {
        string Template(string summary) => DocTemplate.Of(DocSeed("T", "M", "void M()", "void M() { }", summary));

        Assert.Equal(same, Template(a) == Template(b));
    }

    [Fact]
    public void DocTemplate_MasksTheMembersOwnNames()
    {
        var seed = DocSeed("Counter", "Increment", "public int Increment(int step)", "public int Increment(int step) { }", "Increment the counter by step and return it.");

        Assert.Equal("X the X by X and return it", DocTemplate.Of(seed));
    }
}
