using AutoRefiner.CSharp;
using AutoRefiner.Harvester.Seeds;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AutoRefiner.Harvester.Tests.Seeds;

public sealed class DocCommentReaderTests
{
    private static MethodDeclarationSyntax Method(string doc)
    {
        var tree = CSharpSyntaxTree.ParseText(
            $"class C\n{{\n{doc}\n    public int F(int count, string name) => 0;\n}}",
            AutoRefiner.CSharp.ReferenceSet.AnalysisParseOptions);
        return tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().Single();
    }

    [Fact]
    public void Read_InlineTags_BecomeMarkdown()
    {
        var doc = DocCommentReader.Read(Method("""
                /// <summary>
                /// Repeats <paramref name="name"/> <c>count</c> times, like <see cref="M:System.String.Concat(System.String[])"/>,
                /// or returns <see langword="null"/>.
                /// </summary>
            """));

        Assert.Equal("Repeats `name` `count` times, like `System.String.Concat`, or returns `null`.", doc!.Summary);
    }

    [Fact]
    public void Read_PowersAndWrappedCodeSpans_KeepTheirMeaning()
    {
        // MoreLINQ's Subsets and Window docs: "2<sup>N</sup> subsets", and a <c> span the author wrapped over two lines.
        var doc = DocCommentReader.Read(Method("""
                /// <summary>There are 2<sup>N</sup> subsets; windows: <c>Max(0, n - size) +
                /// 1</c>.</summary>
            """));

        Assert.Equal("There are 2^N subsets; windows: `Max(0, n - size) + 1`.", doc!.Summary);
    }

    [Fact]
    public void Read_OneLineCodeInASentence_IsAnInlineSpan()
    {
        // Serilog writes "When <paramref name="x"/> is <code>null</code>".
        var doc = DocCommentReader.Read(Method("""
                /// <summary>Counts.</summary>
                /// <exception cref="T:System.ArgumentNullException">When <paramref name="name"/> is <code>null</code>.</exception>
            """))!;

        Assert.Equal("When `name` is `null`.", Assert.Single(doc.Exceptions).Text);
    }

    [Fact]
    public void Read_ParamsReturnsRemarksExceptions_AreSeparated()
    {
        var doc = DocCommentReader.Read(Method("""
                /// <summary>Counts.</summary>
                /// <param name="count">How many.</param>
                /// <param name="name">Who.</param>
                /// <returns>The total.</returns>
                /// <remarks><para>First.</para><para>Second.</para></remarks>
                /// <exception cref="T:System.ArgumentException">When <paramref name="count"/> is negative.</exception>
            """))!;

        Assert.Equal(["count: How many.", "name: Who."], doc.Params.Select(p => $"{p.Name}: {p.Text}"));
        Assert.Equal("The total.", doc.Returns);
        Assert.Equal("First.\n\nSecond.", doc.Remarks);
        Assert.Equal("System.ArgumentException", Assert.Single(doc.Exceptions).Name);
        Assert.Equal("When `count` is negative.", doc.Exceptions[0].Text);
    }

    [Fact]
    public void Read_GenericCref_UsesAngleBrackets()
    {
        var doc = DocCommentReader.Read(Method("    /// <summary>Like <see cref=\"List{T}\"/>.</summary>"));

        Assert.Equal("Like `List<T>`.", doc!.Summary);
    }

    [Fact]
    public void Read_EmptySummary_IsNoDoc()
    {
        Assert.Null(DocCommentReader.Read(Method("    /// <summary>   </summary>")));
        Assert.Null(DocCommentReader.Read(Method("    /// <returns>x</returns>")));
        Assert.Null(DocCommentReader.Read(Method("    // <summary>plain comment</summary>")));
    }

    [Fact]
    public void Read_MultiLineDocComment_IsRead()
    {
        var doc = DocCommentReader.Read(Method("    /** <summary>Block style.</summary> */"));

        Assert.Equal("Block style.", doc!.Summary);
    }

    [Fact]
    public void Read_MalformedXml_IsNull()
    {
        Assert.Null(DocCommentReader.Read(Method("    /// <summary>Unclosed <b>tag.</summary>")));
    }
}
