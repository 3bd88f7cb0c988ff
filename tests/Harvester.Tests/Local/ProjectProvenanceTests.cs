using AutoRefiner.Core.Config;
using AutoRefiner.Core.Model;
using AutoRefiner.Core.Pipeline;
using AutoRefiner.Harvester.Local;
using AutoRefiner.Harvester.Seeds;
using AutoRefiner.Validator;

namespace AutoRefiner.Harvester.Tests.Local;

/// <summary>Provenance per project and per file: a folder holding several projects, licences in headers, versions.</summary>
public sealed class ProjectProvenanceTests : IDisposable
{
    private const string MitText = "The MIT License (MIT)\n\nCopyright (c) 2019 Ada Example\n\nPermission is hereby granted, free of charge, to any person obtaining a copy\n";

    /// <summary>A GPL project as KeePass ships it: the licence in Docs/, a statement of "version 2 or later" above the full text.</summary>
    private const string GplText = """
        Demo: Copyright (C) 2003-2021 Grace Example.

        The software is distributed under the terms of the GNU General Public License
        version 2 or later.

                            GNU GENERAL PUBLIC LICENSE
                               Version 2, June 1991

         Copyright (C) 1989, 1991 Free Software Foundation, Inc.

                                    Preamble

        TERMS AND CONDITIONS FOR COPYING, DISTRIBUTION AND MODIFICATION

        How to Apply These Terms to Your New Programs

            Copyright (C) <year>  <name of author>

            This program is free software; you can redistribute it and/or modify
            it under the terms of the GNU General Public License as published by
            the Free Software Foundation; either version 2 of the License, or
            (at your option) any later version.
        """;

    private readonly TempTree _tree = new();

    public void Dispose() => _tree.Dispose();

    private static string Class(string name, string method, string header = "") =>
        $"{header}public static class {name}\n{{\n    /// <summary>Does it.</summary>\n    public static int {method}(int x) => x + {name.Length};\n}}\n";

    private async Task<List<Seed>> HarvestAsync(params string[] sources)
    {
        var config = new ExtractionConfig();
        var compiler = new RoslynCompiler();
        var local = new LocalSeedSource(new FileWalker(config), new SeedExtractor(compiler, config), config, parallelism: 1);
        var harvester = new SourceHarvester(local, new HarvestConfig { Extraction = config, BaseDirectory = _tree.Root }, TimeProvider.System, _ => null);
        var request = new HarvestRequest(sources.Length > 0 ? [.. sources.Select(s => Path.Combine(_tree.Root, s))] : [_tree.Root], null);
        return await harvester.HarvestAsync(request, new RunStats(TimeProvider.System), default).ToListAsync();
    }

    [Fact]
    public async Task Harvest_FolderOfProjects_GivesEachItsOwnNameLicenceAndNotice()
    {
        _tree.Write("x/mit-lib/LICENSE.md", MitText);
        _tree.Write("x/mit-lib/src/Lib.cs", Class("Lib", "Add"));
        _tree.Write("x/gpl-app/Docs/License.txt", GplText);
        _tree.Write("x/gpl-app/App/App.cs", Class("App", "Run"));
        _tree.Write("x/other-lib/LICENSE.txt", "MIT License\n\n" + MitText[23..]);
        _tree.Write("x/other-lib/Other.cs", Class("Other", "Go"));

        var seeds = await HarvestAsync("x");

        var lib = Assert.Single(seeds, s => s.Name == "Add").Provenance;
        var app = Assert.Single(seeds, s => s.Name == "Run").Provenance;
        var other = Assert.Single(seeds, s => s.Name == "Go").Provenance;
        Assert.Equal(("mit-lib", "src/Lib.cs", "MIT", "project"), (lib.Repo, lib.Path, lib.License, lib.LicenseOrigin));
        Assert.Equal(("gpl-app", "App/App.cs", "GPL-2.0-or-later", "project"), (app.Repo, app.Path, app.License, app.LicenseOrigin));
        Assert.Equal("other-lib", other.Repo);
        Assert.Equal("Copyright (c) 2019 Ada Example", lib.Notice);
        Assert.Equal("Demo: Copyright (C) 2003-2021 Grace Example.", app.Notice);
        Assert.Equal("4-4", lib.Lines);
        Assert.DoesNotContain(seeds, s => s.Provenance.Repo == "x");
    }

    [Fact]
    public async Task Harvest_FileWhoseHeaderStatesALicence_IsLabelledWithItsOwn()
    {
        _tree.Write("lib/LICENSE", MitText);
        _tree.Write("lib/Plain.cs", Class("Plain", "One"));
        _tree.Write("lib/Spdx.cs", Class("Spdx", "Two", "// SPDX-License-Identifier: Apache-2.0\n// Copyright 2020 Someone Else\n\n"));
        _tree.Write("lib/Gnu.cs", Class("Gnu", "Three", """
            /*
              Demo Library
              Copyright (C) 2003-2021 Grace Example <grace@example.org>

              This program is free software; you can redistribute it and/or modify
              it under the terms of the GNU Lesser General Public License as published by
              the Free Software Foundation; either version 2.1 of the License, or
              (at your option) any later version.
            */

            """));

        var seeds = await HarvestAsync("lib");

        Assert.Equal(("MIT", "project"), Origin(seeds, "One"));
        Assert.Equal(("Apache-2.0", "file"), Origin(seeds, "Two"));
        Assert.Equal(("LGPL-2.1-or-later", "file"), Origin(seeds, "Three"));
        Assert.Equal("Copyright 2020 Someone Else", Assert.Single(seeds, s => s.Name == "Two").Provenance.Notice);
        Assert.Equal("Copyright (C) 2003-2021 Grace Example <grace@example.org>", Assert.Single(seeds, s => s.Name == "Three").Provenance.Notice);
    }

    private static (string, string) Origin(List<Seed> seeds, string method) =>
        Assert.Single(seeds, s => s.Name == method).Provenance is var p ? (p.License, p.LicenseOrigin) : default;

    [Fact]
    public async Task Harvest_UnrecognisedLicenceText_IsUnknownNotNone()
    {
        _tree.Write("odd/LICENSE", "You may look at this code on Tuesdays.");
        _tree.Write("odd/Odd.cs", Class("Odd", "Look"));
        _tree.Write("mine/Mine.cs", Class("Mine", "Keep"));

        var seeds = await HarvestAsync("odd", "mine");

        Assert.Equal("unknown", Assert.Single(seeds, s => s.Name == "Look").Provenance.License);
        Assert.Equal("", Assert.Single(seeds, s => s.Name == "Keep").Provenance.License);
    }

    [Fact]
    public async Task Harvest_TwoFoldersOfTheSameName_AreTwoProjects()
    {
        _tree.Write("a/lib/LICENSE", MitText);
        _tree.Write("a/lib/A.cs", Class("Alpha", "First"));
        _tree.Write("b/lib/LICENSE", MitText);
        _tree.Write("b/lib/B.cs", Class("Beta", "Second"));

        var seeds = await HarvestAsync("a", "b");

        Assert.Equal("lib", Assert.Single(seeds, s => s.Name == "First").Provenance.Repo);
        Assert.Equal("lib-2", Assert.Single(seeds, s => s.Name == "Second").Provenance.Repo);
    }

    [Fact]
    public async Task Harvest_ProjectVersion_IsReadFromTheCsprojOrANuspec()
    {
        _tree.Write("p/LICENSE", MitText);
        _tree.Write("p/src/Core/Core.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><Version>1.4.2</Version></PropertyGroup><ItemGroup><PackageReference Include=\"X\"><Version>9.9.9</Version></PackageReference></ItemGroup></Project>");
        _tree.Write("p/src/Core/Core.cs", Class("Core", "Do"));
        _tree.Write("p/src/Tool/Tool.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><Version>$(Major).0</Version></PropertyGroup></Project>");
        _tree.Write("p/src/Tool/Tool.cs", Class("Tool", "Use"));
        _tree.Write("p/Build/P.nuspec", "<package><metadata><id>P</id><version>6.0.8</version></metadata></package>");

        var seeds = await HarvestAsync("p");

        Assert.Equal("1.4.2", Assert.Single(seeds, s => s.Name == "Do").Provenance.Version);
        Assert.Equal("6.0.8", Assert.Single(seeds, s => s.Name == "Use").Provenance.Version);
    }

    [Fact]
    public async Task Harvest_CheckoutsSideBySide_AreNamedByTheirOriginsWithPermalinks()
    {
        const string Sha = "0123456789abcdef0123456789abcdef01234567";
        _tree.Write("x/one/.git/HEAD", Sha + "\n");
        _tree.Write("x/one/.git/config", "[remote \"origin\"]\n\turl = https://github.com/acme/one.git\n");
        _tree.Write("x/one/LICENSE", MitText);
        _tree.Write("x/one/src/One.cs", Class("One", "Uno"));
        File.WriteAllBytes(Path.Combine(_tree.Root, "x/one/.git/index"), GitIndexFile.For(("src/One.cs", Class("One", "Uno"))));
        _tree.Write("x/two/.git/HEAD", Sha + "\n");
        _tree.Write("x/two/.git/config", "[remote \"origin\"]\n\turl = file:///etc/passwd\n");
        _tree.Write("x/two/Two.cs", Class("Two", "Dos"));

        var seeds = await HarvestAsync("x");

        var one = Assert.Single(seeds, s => s.Name == "Uno").Provenance;
        Assert.Equal(("acme/one", "src/One.cs", Sha), (one.Repo, one.Path, one.Commit));
        Assert.Equal($"https://github.com/acme/one/blob/{Sha}/src/One.cs#L4-L4", one.Url);
        var two = Assert.Single(seeds, s => s.Name == "Dos").Provenance;
        Assert.Equal(("two", ""), (two.Repo, two.Url));
    }

    [Fact]
    public async Task Harvest_ApacheProjectWithANoticeFile_CarriesTheNotice()
    {
        _tree.Write("a/LICENSE", "                                 Apache License\n                           Version 2.0, January 2004\n");
        _tree.Write("a/NOTICE", "Demo Component\nCopyright 2021 The Demo Authors\n");
        _tree.Write("a/src/A.cs", Class("Alpha", "First"));

        var seeds = await HarvestAsync("a");

        var p = Assert.Single(seeds).Provenance;
        Assert.Equal(("Apache-2.0", "Demo Component\nCopyright 2021 The Demo Authors"), (p.License, p.Notice));
    }

    [Fact]
    public async Task Harvest_HeaderNamingTheProjectsLicence_KeepsTheProjectsCopyright()
    {
        _tree.Write("net/LICENSE.TXT", "The MIT License (MIT)\n\nCopyright (c) .NET Foundation and Contributors\n\nPermission is hereby granted, free of charge, to any person\n");
        _tree.Write("net/A.cs", Class("Alpha", "First",
            "// Licensed to the .NET Foundation under one or more agreements.\n// The .NET Foundation licenses this file to you under the MIT license.\n\n"));

        var p = Assert.Single(await HarvestAsync("net")).Provenance;

        Assert.Equal(("MIT", "file", "Copyright (c) .NET Foundation and Contributors"), (p.License, p.LicenseOrigin, p.Notice));
    }

    [Fact]
    public async Task Harvest_HeaderStatementTheToolCannotRead_IsUnknownNotTheProjectsLicence()
    {
        _tree.Write("m/LICENSE", MitText);
        _tree.Write("m/A.cs", Class("Alpha", "First", "// SPDX-License-Identifier: MIT/GPL-3.0\n\n"));
        _tree.Write("m/B.cs", Class("Beta", "Second", "// Copyright (c) 2008 Jane Doe. Licensed under the Frobnitz Licence.\n\n"));

        var seeds = await HarvestAsync("m");

        Assert.Equal(("unknown", "file"), Origin(seeds, "First"));
        Assert.Equal(("unknown", "file"), Origin(seeds, "Second"));
        Assert.Equal("Copyright (c) 2008 Jane Doe. Licensed under the Frobnitz Licence.", Assert.Single(seeds, s => s.Name == "Second").Provenance.Notice);
    }

    [Fact]
    public async Task Harvest_ChangedOrUntrackedFileInACheckout_HasNoCommitNorPermalink()
    {
        const string Sha = "0123456789abcdef0123456789abcdef01234567";
        _tree.Write("c/.git/HEAD", Sha + "\n");
        _tree.Write("c/.git/config", "[remote \"origin\"]\n\turl = https://github.com/acme/c.git\n");
        _tree.Write("c/Same.cs", Class("Same", "Kept"));
        _tree.Write("c/Changed.cs", Class("Changed", "Edited"));
        _tree.Write("c/New.cs", Class("Fresh", "Added"));
        File.WriteAllBytes(Path.Combine(_tree.Root, "c/.git/index"), GitIndexFile.For(("Same.cs", Class("Same", "Kept")), ("Changed.cs", Class("Changed", "Before"))));

        var seeds = await HarvestAsync("c");

        var same = Assert.Single(seeds, s => s.Name == "Kept").Provenance;
        Assert.Equal((Sha, $"https://github.com/acme/c/blob/{Sha}/Same.cs#L4-L4"), (same.Commit, same.Url));
        foreach (var name in new[] { "Edited", "Added" })
        {
            var p = Assert.Single(seeds, s => s.Name == name).Provenance;
            Assert.Equal(("acme/c", "", ""), (p.Repo, p.Commit, p.Url));
        }
    }
}
