using AutoRefiner.Core.Text;

namespace AutoRefiner.Core.Tests.Text;

public sealed class ContentHashTests
{
    [Fact]
    public void Normalize_CollapsesWhitespaceAndLineEnds()
    {
        Assert.Equal("a b c", ContentHash.Normalize("  a\r\n\tb   c \n"));
    }

    [Fact]
    public void Of_SameCodeReindented_IsTheSameId()
    {
        Assert.Equal(ContentHash.Of("class A\n{\n    int x;\n}"), ContentHash.Of("class A {\r\n  int x;\r\n}"));
    }

    [Fact]
    public void Of_PartsAreSeparated()
    {
        Assert.NotEqual(ContentHash.Of("ab", "c"), ContentHash.Of("a", "bc"));
    }

    [Fact]
    public void Of_IsStableAcrossRuns()
    {
        // A changed id would move every row to another split and break incremental refreshes.
        Assert.Equal("a288392325b8e175fa387ac19b761352", ContentHash.Of("instruction", "response"));
    }

    [Fact]
    public void UnitInterval_IsInRangeAndRoughlyUniform()
    {
        var values = Enumerable.Range(0, 10_000).Select(i => ContentHash.UnitInterval(ContentHash.Of(i.ToString(System.Globalization.CultureInfo.InvariantCulture)))).ToList();

        Assert.All(values, v => Assert.InRange(v, 0.0, 0.9999999));
        var share = values.Count(v => v < 0.05) / (double)values.Count;
        Assert.InRange(share, 0.04, 0.06);
    }
}
