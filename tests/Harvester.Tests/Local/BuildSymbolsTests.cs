using AutoRefiner.Harvester.Local;

namespace AutoRefiner.Harvester.Tests.Local;

public sealed class BuildSymbolsTests : IDisposable
{
    private readonly TempTree _tree = new();

    public void Dispose() => _tree.Dispose();

    [Fact]
    public void Of_OldStyleProjectWithDebugAndReleaseGroups_TakesTheReleaseGroupAndNoImpliedSymbols()
    {
        // The shape of dnlib 2.1's and Json.NET 6's project files (Visual Studio 2010 era).
        var project = _tree.Write("src/Lib.csproj", """
            <?xml version="1.0" encoding="utf-8"?>
            <Project ToolsVersion="4.0" DefaultTargets="Build" xmlns="http://schemas.microsoft.com/developer/msbuild/2003">
              <Import Project="$(SolutionDir)\Common.props" Condition="Exists('$(SolutionDir)\Common.props')" />
              <PropertyGroup>
                <Configuration Condition=" '$(Configuration)' == '' ">Debug</Configuration>
                <Platform Condition=" '$(Platform)' == '' ">AnyCPU</Platform>
                <TargetFrameworkVersion>v2.0</TargetFrameworkVersion>
              </PropertyGroup>
              <PropertyGroup Condition=" '$(Configuration)|$(Platform)' == 'Debug|AnyCPU' ">
                <DefineConstants>TRACE;DEBUG;$(MoreDefineConstants)</DefineConstants>
              </PropertyGroup>
              <PropertyGroup Condition=" '$(Configuration)|$(Platform)' == 'Release|AnyCPU' ">
                <DefineConstants>TRACE;NET20;$(MoreDefineConstants)</DefineConstants>
              </PropertyGroup>
            </Project>
            """);

        var symbols = BuildSymbols.Of(project, _tree.Root);

        Assert.Equal(["TRACE", "NET20"], symbols);
    }

    [Fact]
    public void Of_SdkProjectAddingToDefineConstants_KeepsItsSymbolsAndAddsTheFirstFrameworksOnes()
    {
        // dnlib 4.x: THREAD_SAFE unless a property turns it off, several target frameworks.
        var project = _tree.Write("src/dnlib.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <DefineConstants>$(DefineConstants);$(MoreDefineConstants)</DefineConstants>
                <DefineConstants Condition=" '$(DnlibThreadSafe)' != 'false' ">$(DefineConstants);THREAD_SAFE</DefineConstants>
                <TargetFrameworks>netstandard2.0;net45;net6.0</TargetFrameworks>
                <NoTargetFrameworkNet35 Condition=" '$(NoTargetFrameworkNet35)' == '' AND '$(MSBuildRuntimeType)' == 'Core' ">true</NoTargetFrameworkNet35>
                <TargetFrameworks Condition=" '$(NoTargetFrameworkNet35)' != 'true' ">$(TargetFrameworks);net35</TargetFrameworks>
                <AssemblyTitle Condition="$(DefineConstants.Contains(THREAD_SAFE))">dnlib (thread safe)</AssemblyTitle>
              </PropertyGroup>
            </Project>
            """);

        var symbols = BuildSymbols.Of(project, _tree.Root)!;

        // Of netstandard2.0, net45, net6.0 (and net35 on Windows' MSBuild), the build closest to the rows' .NET 10.
        Assert.Contains("THREAD_SAFE", symbols);
        Assert.Contains("NET6_0", symbols);
        Assert.Contains("NET", symbols);
        Assert.Contains("NET5_0_OR_GREATER", symbols);
        Assert.Contains("RELEASE", symbols);
        Assert.DoesNotContain("NET7_0_OR_GREATER", symbols);
        Assert.DoesNotContain("NETSTANDARD2_0", symbols);
        Assert.DoesNotContain("NET45", symbols);
        Assert.DoesNotContain("NETFRAMEWORK", symbols);
        Assert.DoesNotContain("DEBUG", symbols);
    }

    [Fact]
    public void Of_GroupsConditionedOnTheTargetFramework_TakeTheFirstFrameworksGroupWithDirectoryBuildProps()
    {
        // Json.NET 13: HAVE_* per target framework, the list of frameworks from a property the build may set.
        _tree.Write("Src/Directory.Build.props", """
            <Project>
              <PropertyGroup>
                <AdditionalConstants>SIGNED</AdditionalConstants>
              </PropertyGroup>
            </Project>
            """);
        var project = _tree.Write("Src/Newtonsoft.Json/Newtonsoft.Json.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFrameworks Condition="'$(LibraryFrameworks)'==''">net8.0;net45;netstandard2.0</TargetFrameworks>
                <TargetFrameworks Condition="'$(LibraryFrameworks)'!=''">$(LibraryFrameworks)</TargetFrameworks>
              </PropertyGroup>
              <PropertyGroup Condition="'$(TargetFramework)'=='net8.0'">
                <DefineConstants>HAVE_ASYNC;HAVE_DATE_ONLY;$(AdditionalConstants)</DefineConstants>
              </PropertyGroup>
              <PropertyGroup Condition="'$(TargetFramework)'=='net45'">
                <DefineConstants>HAVE_ASYNC;HAVE_CAS;$(AdditionalConstants)</DefineConstants>
              </PropertyGroup>
              <PropertyGroup Condition="$([MSBuild]::IsTargetFrameworkCompatible('$(TargetFramework)', 'net6.0'))">
                <DefineConstants>$(DefineConstants);NOT_EVALUATED</DefineConstants>
              </PropertyGroup>
            </Project>
            """);

        var symbols = BuildSymbols.Of(project, _tree.Root)!;

        Assert.Equal(["HAVE_ASYNC", "HAVE_DATE_ONLY", "SIGNED"], symbols.Take(3));
        Assert.Contains("NET8_0", symbols);
        Assert.Contains("NET6_0_OR_GREATER", symbols);
        Assert.Contains("NETCOREAPP3_1_OR_GREATER", symbols);
        Assert.DoesNotContain("HAVE_CAS", symbols);
        Assert.DoesNotContain("NOT_EVALUATED", symbols);
    }

    [Fact]
    public void Of_ImportsAndChoose_AreFollowedInsideTheSourceRoot()
    {
        _tree.Write("build/common.props", """
            <Project>
              <PropertyGroup><DefineConstants>$(DefineConstants);FROM_IMPORT</DefineConstants></PropertyGroup>
            </Project>
            """);
        var project = _tree.Write("src/Lib/Lib.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <Import Project="$(MSBuildThisFileDirectory)../../build/common.props" />
              <PropertyGroup><TargetFramework>net472</TargetFramework></PropertyGroup>
              <Choose>
                <When Condition="'$(TargetFramework)' == 'net472' and !Exists('missing.txt')">
                  <PropertyGroup><DefineConstants>$(DefineConstants);FULL_FRAMEWORK</DefineConstants></PropertyGroup>
                </When>
                <Otherwise>
                  <PropertyGroup><DefineConstants>$(DefineConstants);CORE</DefineConstants></PropertyGroup>
                </Otherwise>
              </Choose>
            </Project>
            """);

        var symbols = BuildSymbols.Of(project, _tree.Root)!;

        Assert.Contains("FROM_IMPORT", symbols);
        Assert.Contains("FULL_FRAMEWORK", symbols);
        Assert.Contains("NET472", symbols);
        Assert.Contains("NET461_OR_GREATER", symbols);
        Assert.Contains("NETFRAMEWORK", symbols);
        Assert.DoesNotContain("CORE", symbols);
        Assert.DoesNotContain("NET48_OR_GREATER", symbols);
    }

    [Fact]
    public void Of_ProjectFileThatIsNotXml_IsNull()
    {
        var project = _tree.Write("Broken.csproj", "<Project><PropertyGroup>");

        Assert.Null(BuildSymbols.Of(project, _tree.Root));
    }

    [Theory]
    [InlineData("net10.0-windows", "NET10_0")]
    [InlineData("netcoreapp3.1", "NETCOREAPP3_1")]
    [InlineData("netstandard1.3", "NETSTANDARD1_3")]
    [InlineData("net48", "NET48")]
    public void FrameworkSymbols_KnownMonikers_NameTheirVersion(string moniker, string expected)
    {
        Assert.Contains(expected, BuildSymbols.FrameworkSymbols(moniker));
    }

    [Theory]
    [InlineData("'$(A)' == 'x' and '$(B)' != 'y'", true)]
    [InlineData("'$(A)|$(B)' == 'X|Z'", true)]
    [InlineData("!('$(A)' == 'x')", false)]
    [InlineData("'$(A)' == 'y' or $(B.StartsWith('z'))", true)]
    [InlineData("'$(B.StartsWith('z'))' == 'true'", true)]
    [InlineData("'$(A)' > '1'", false)]
    [InlineData("$([System.String]::IsNullOrEmpty('$(A)'))", false)]
    [InlineData("'unclosed", false)]
    public void Holds_TheSupportedSubset_AndFalseForTheRest(string condition, bool expected)
    {
        var properties = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["A"] = "x", ["B"] = "z" };

        Assert.Equal(expected, MsBuildCondition.Holds(condition, n => properties.GetValueOrDefault(n) ?? "", _ => false));
    }

    [Fact]
    public void Holds_AConditionNestedThousandsDeep_IsFalse_InsteadOfOverflowingTheStack()
    {
        // 30,000 parentheses ended the process with a stack overflow (a hostile or generated project file).
        var deep = new string('(', 30_000) + "'a'=='a'" + new string(')', 30_000);
        var negated = string.Concat(Enumerable.Repeat("!", 30_000)) + "'a'=='a'";

        Assert.False(MsBuildCondition.Holds(deep, _ => "", _ => false));
        Assert.False(MsBuildCondition.Holds(negated, _ => "", _ => false));
        Assert.True(MsBuildCondition.Holds(new string('(', 20) + "'a'=='a'" + new string(')', 20), _ => "", _ => false));
    }

    [Fact]
    public void Of_PropertiesThatDoubleEachOther_StayBounded_AndTheRestOfTheProjectIsRead()
    {
        // <Q1>$(Q0)$(Q0)</Q1> … <Q44>: 16 × 2^44 characters if expanded; it took 6.4 GB before the run failed.
        var doubling = string.Concat(Enumerable.Range(1, 44).Select(i => $"<Q{i}>$(Q{i - 1})$(Q{i - 1})</Q{i}>"));
        var project = _tree.Write("src/Bomb.csproj", $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Q0>ABCDEFGHIJKLMNOP</Q0>
                {doubling}
                <DefineConstants>$(DefineConstants);REAL;$(Q44)</DefineConstants>
              </PropertyGroup>
            </Project>
            """);

        var symbols = BuildSymbols.Of(project, _tree.Root)!;

        Assert.Contains("REAL", symbols);
        Assert.True(symbols.Sum(x => x.Length) <= 2 * MsBuildCondition.MaxValueLength, $"{symbols.Sum(x => x.Length)} characters of symbols");
    }

    [Theory]
    [InlineData("net471;net462;netstandard2.0;net10.0;net9.0;net8.0", "net10.0")]
    [InlineData("netstandard2.0;net45;net6.0", "net6.0")]
    [InlineData("net45;netcoreapp3.1;netstandard2.1", "netcoreapp3.1")]
    [InlineData("net20;net35;netstandard1.3", "netstandard1.3")]
    [InlineData("net11.0;net8.0-windows", "net8.0-windows")]
    [InlineData("net48;net472", "net48")]
    public void Preferred_OfTargetFrameworks_IsTheOneClosestToDotNet10(string frameworks, string expected)
    {
        Assert.Equal(expected, BuildSymbols.Preferred(frameworks.Split(';')));
    }
}
