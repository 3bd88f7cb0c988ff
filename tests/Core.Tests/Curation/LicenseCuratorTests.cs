using AutoRefiner.Core.Config;
using AutoRefiner.Core.Curation;
using AutoRefiner.Core.Model;

namespace AutoRefiner.Core.Tests.Curation;

public sealed class LicenseCuratorTests
{
    private static LicenseCurator Curator(params string[] licenses) =>
        new(licenses.Length == 0 ? new CurationConfig() : new CurationConfig { Licenses = licenses });

    [Theory]
    [InlineData("MIT")]
    [InlineData("mit")]
    [InlineData("Apache-2.0")]
    [InlineData("MIT OR GPL-3.0-only")]
    [InlineData("(Apache-2.0 OR MIT)")]
    public void Refusal_PermissiveIdsOfTheDefaultList_AreAllowedInAnyCase(string license)
    {
        Assert.Null(Curator().Refusal(license));
    }

    [Theory]
    [InlineData("GPL-2.0-or-later")]
    [InlineData("LGPL-2.1-only")]
    [InlineData("MPL-2.0")]
    [InlineData("MIT AND GPL-3.0-only")]
    [InlineData("unknown")]
    [InlineData("Proprietary-Thing")]
    public void Refusal_CopyleftUnknownOrUnlisted_IsRefusedEvenWithUnlicensedLocalKeep(string license)
    {
        Assert.Contains($"its licence {license} is not in curation.licenses", Curator().Refusal(license), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("(MIT OR Apache-2.0) AND GPL-2.0-only", false)]
    [InlineData("GPL-3.0-only AND (MIT OR Apache-2.0)", false)]
    [InlineData("MIT OR Apache-2.0 AND GPL-2.0-only", true)]   // AND binds tighter: MIT alone suffices
    [InlineData("(MIT OR GPL-2.0-only) AND Apache-2.0", true)]
    [InlineData("MIT AND (GPL-2.0-only OR Apache-2.0)", true)]
    [InlineData("((MIT))", true)]
    [InlineData("GPL-2.0-only WITH Classpath-exception-2.0 OR MIT", true)]
    [InlineData("MIT/GPL-3.0", false)]
    [InlineData("MIT, GPL-3.0-only", false)]
    [InlineData("(MIT OR Apache-2.0", false)]
    [InlineData("MIT OR", false)]
    [InlineData("MIT WITH", false)]
    [InlineData("MIT\tAND GPL-3.0-only", false)]
    public void IsAllowed_ExpressionsWithBracketsAndPrecedence_AreReadByTheGrammar(string license, bool allowed)
    {
        Assert.Equal(allowed, Spdx.IsAllowed(license.Replace("\\t", "\t", StringComparison.Ordinal), new CurationConfig().Licenses));
    }

    [Fact]
    public void Refusal_NoLicenceAnywhere_FollowsUnlicensedLocal()
    {
        Assert.Null(Curator().Refusal(""));
        Assert.NotNull(new LicenseCurator(new CurationConfig { UnlicensedLocal = "drop" }).Refusal(""));
    }

    [Theory]
    [InlineData("GPL-2.0-or-later", "GPL-2.0-or-later", true)]
    [InlineData("gpl-2.0-or-later", "GPL-2.0-or-later", true)]
    [InlineData("gpl-2.0", "GPL-2.0-or-later", true)]      // or-later code may be used under version 2
    [InlineData("GPL-3.0-only", "GPL-2.0-or-later", true)]
    [InlineData("GPL-2.0-or-later", "GPL-2.0-only", false)] // version-2-only code is not or-later code
    [InlineData("GPL-3.0-or-later", "GPL-2.0-only", false)]
    [InlineData("LGPL-2.1-or-later", "GPL-2.0-or-later", false)]
    [InlineData("GPL-2.0-only", "GPL-2.0-only WITH Classpath-exception-2.0", true)]
    public void IsAllowed_ListedCopyleft_IsAllowedByItsOwnId(string listed, string license, bool allowed)
    {
        Assert.Equal(allowed, Spdx.IsAllowed(license, ["mit", listed]));
    }

    [Theory]
    [InlineData("gpl-2.0+", "GPL-2.0-or-later")]
    [InlineData("GPL-2.0", "GPL-2.0-only")]
    [InlineData("apache-2.0", "Apache-2.0")]
    [InlineData("mit or apache-2.0", "MIT OR Apache-2.0")]
    [InlineData("LicenseRef-Custom", "LicenseRef-Custom")]
    public void Canonical_SpellsIdsAsSpdxDoes(string id, string canonical)
    {
        Assert.Equal(canonical, Spdx.Canonical(id));
    }

    [Fact]
    public void Filter_SeedUnderGpl_IsLeftOutNamingItsLicence()
    {
        var seed = new Seed
        {
            Id = "s", Name = "Run", Signature = "void Run()", ContainingType = "class A", Doc = new DocComment { Summary = "Runs." }, Code = "class A { }",
            Provenance = new Provenance("keepass", "A.cs", "", "GPL-2.0-or-later", "") { LicenseOrigin = "file" },
        };

        Assert.Null(Curator().Filter(seed, out var reason, out var example));
        Assert.Equal("license", reason);
        Assert.EndsWith("keepass/A.cs Run: its licence GPL-2.0-or-later is not in curation.licenses (mit, apache-2.0, bsd-2-clause, bsd-3-clause); copyleft code is kept only when its own id is listed", example, StringComparison.Ordinal);
        Assert.Same(seed, Curator("mit", "gpl-2.0-or-later").Filter(seed, out _, out _));
    }
}
