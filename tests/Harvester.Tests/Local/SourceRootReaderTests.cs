using AutoRefiner.Core;
using AutoRefiner.Harvester.Local;

namespace AutoRefiner.Harvester.Tests.Local;

public sealed class SourceRootReaderTests : IDisposable
{
    private const string Sha = "0123456789abcdef0123456789abcdef01234567";
    private readonly TempTree _tree = new();

    public void Dispose() => _tree.Dispose();

    [Fact]
    public void Read_MissingPath_IsAUsageErrorNamingIt()
    {
        var e = Assert.Throws<AutoRefinerException>(() => SourceRootReader.Read("/no/such/dir"));

        Assert.Equal(FailureKind.Usage, e.Kind);
        Assert.StartsWith("source '/no/such/dir' does not exist", e.Message);
    }

    [Fact]
    public void Read_AFile_IsAUsageError()
    {
        var file = _tree.Write("A.cs", "class A { }");

        var e = Assert.Throws<AutoRefinerException>(() => SourceRootReader.Read(file));

        Assert.Contains("is a file", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_PlainDirectory_UsesItsNameAndNoCommit()
    {
        var root = SourceRootReader.Read(_tree.Root);

        Assert.Equal(Path.GetFileName(_tree.Root), root.Repo);
        Assert.Equal("", root.Commit);
        Assert.Equal("", root.ProvenanceOf("a/B.cs").Url);
    }

    [Fact]
    public void Read_GitCheckout_TakesRepoCommitAndLicenceFromTheTop()
    {
        _tree.Write(".git/HEAD", "ref: refs/heads/main\n");
        _tree.Write(".git/refs/heads/main", Sha + "\n");
        _tree.Write(".git/config", "[core]\n\tbare = false\n[remote \"origin\"]\n\turl = https://user:secret@github.com/Owner/Repo.git\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n");
        _tree.Write("LICENSE", "MIT License\n\nPermission is hereby granted, free of charge, to any person obtaining a copy");
        _tree.Write("src/lib/A.cs", "class A { }");

        var root = SourceRootReader.Read(Path.Combine(_tree.Root, "src"));

        Assert.Equal(_tree.Root, root.RootPath);
        Assert.Equal("Owner/Repo", root.Repo);
        Assert.Equal(Sha, root.Commit);
        Assert.Equal("MIT", root.License);
        Assert.Equal($"https://github.com/Owner/Repo/blob/{Sha}/src/lib/A.cs", root.ProvenanceOf("src/lib/A.cs").Url);
        Assert.DoesNotContain("secret", root.WebUrl, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_PackedRefs_AreFound()
    {
        _tree.Write(".git/HEAD", "ref: refs/heads/dev\n");
        _tree.Write(".git/packed-refs", $"# pack-refs with: peeled fully-peeled sorted\n{Sha} refs/heads/dev\n");

        Assert.Equal(Sha, SourceRootReader.Read(_tree.Root).Commit);
    }

    [Fact]
    public void Read_DetachedHead_IsTheCommit()
    {
        _tree.Write(".git/HEAD", Sha + "\n");

        Assert.Equal(Sha, SourceRootReader.Read(_tree.Root).Commit);
    }

    [Theory]
    [InlineData("git@github.com:owner/name.git", "owner/name", "https://github.com/owner/name")]
    [InlineData("https://github.com/owner/name", "owner/name", "https://github.com/owner/name")]
    [InlineData("ssh://git@ghe.example.com:2222/team/proj.git", "team/proj", "https://ghe.example.com/team/proj")]
    [InlineData("https://x-access-token:ghp_abc@github.com/o/r.git", "o/r", "https://github.com/o/r")]
    [InlineData("git@gitlab.com:o/r.git", "gitlab.com/o/r", "https://gitlab.com/o/r")]
    [InlineData("https://bitbucket.org/o/r", "bitbucket.org/o/r", "https://bitbucket.org/o/r")]
    [InlineData("https://evil.example/o/r12", "evil.example/o/r12", "")]
    public void ParseRemote_CommonForms_GiveOwnerNameWithoutCredentials(string url, string repo, string web)
    {
        Assert.Equal((repo, web), SourceRootReader.ParseRemote(url, "https://ghe.example.com"));
    }

    [Fact]
    public void ParseRemote_EnterpriseHostNotNamedByGitHubServerUrl_HasNoWebAddress()
    {
        Assert.Equal(("ghe.example.com/team/proj", ""), SourceRootReader.ParseRemote("https://ghe.example.com/team/proj", null));
    }

    [Theory]
    [InlineData("https://github.com/o/r", "https://github.com/o/r/blob/abc/src/A%20B.cs#L8-L18")]
    [InlineData("https://gitlab.com/o/r", "https://gitlab.com/o/r/-/blob/abc/src/A%20B.cs#L8-18")]
    [InlineData("https://bitbucket.org/o/r", "https://bitbucket.org/o/r/src/abc/src/A%20B.cs#lines-8:18")]
    public void Permalink_EachForge_GetsItsOwnForm(string web, string expected)
    {
        Assert.Equal(expected, Core.Model.Permalink.WithLines(Core.Model.Permalink.File(web, "abc", "src/A B.cs"), 8, 18));
    }

    [Theory]
    [InlineData("Apache License\nVersion 2.0, January 2004", "Apache-2.0")]
    [InlineData("Redistribution and use in source and binary forms ... Neither the name of the copyright holder", "BSD-3-Clause")]
    [InlineData("Redistribution and use in source and binary forms, with or without modification", "BSD-2-Clause")]
    [InlineData("GNU GENERAL PUBLIC LICENSE\nVersion 3, 29 June 2007", "GPL-3.0-only")]
    [InlineData("All rights reserved. Do not copy.", "")]
    [InlineData("The Dapper library and tools are licenced under Apache 2.0: http://www.apache.org/licenses/LICENSE-2.0", "Apache-2.0")]
    [InlineData("Apache License\nVersion 2.0\n...\nThird-party notices:\nPermission is hereby granted, free of charge, to any person", "Apache-2.0")]
    [InlineData("The MIT License (MIT)\n\nCopyright (c) 2007 James Newton-King\n\nPermission is hereby granted, free of charge", "MIT")]
    [InlineData("GNU GENERAL PUBLIC LICENSE\nVersion 2, June 1991\n\nPreamble\n\nTERMS AND CONDITIONS\n\neither version 2 of the License, or\n(at your option) any later version.", "GPL-2.0-only")]
    [InlineData("Distributed under the GNU General Public License\nversion 2 or later.\n\nGNU GENERAL PUBLIC LICENSE\nVersion 2, June 1991\n\nPreamble\n\nTERMS AND CONDITIONS", "GPL-2.0-or-later")]
    [InlineData("GNU LESSER GENERAL PUBLIC LICENSE\nVersion 3, 29 June 2007", "LGPL-3.0-only")]
    [InlineData("GNU AFFERO GENERAL PUBLIC LICENSE\nVersion 3, 19 November 2007", "AGPL-3.0-only")]
    [InlineData("Mozilla Public License Version 2.0\n==================================", "MPL-2.0")]
    [InlineData("Eclipse Public License - v 2.0", "EPL-2.0")]
    [InlineData("GNU General Public License v3.0", "GPL-3.0-only")]
    [InlineData("GNU General Public License, version 3", "GPL-3.0-only")]
    [InlineData("GNU General Public License v3.0 or later", "GPL-3.0-or-later")]
    [InlineData("This program is under the GNU General Public License.", "unknown")]
    [InlineData("GNU Lesser General Public License v3.0", "LGPL-3.0-only")]
    [InlineData("GNU GENERAL PUBLIC LICENSE\nVersion 2, June 1991", "GPL-2.0-only")]
    [InlineData("GNU LESSER GENERAL PUBLIC LICENSE\nVersion 2.1, February 1999", "LGPL-2.1-only")]
    [InlineData("MIT", "MIT")]
    [InlineData("Apache License 2.0", "Apache-2.0")]
    [InlineData("GPLv3", "GPL-3.0-only")]
    [InlineData("LGPL-2.1", "LGPL-2.1-only")]
    [InlineData("SPDX-License-Identifier: (MIT OR Apache-2.0) AND GPL-2.0-only", "(MIT OR Apache-2.0) AND GPL-2.0-only")]
    public void Classify_KnownTexts_GiveTheirSpdxId(string text, string expected)
    {
        Assert.Equal(expected, SourceRootReader.Classify(text));
    }

    [Theory]
    [InlineData("// SPDX-License-Identifier: MIT OR Apache-2.0\nusing System;\nclass A { }", "MIT OR Apache-2.0")]
    [InlineData("/* SPDX-License-Identifier: GPL-2.0+ */\nclass A { }", "GPL-2.0-or-later")]
    [InlineData("#region License\n// Copyright (c) 2007 James Newton-King\n//\n// Permission is hereby granted, free of charge, to any person\n#endregion\n\nusing System;", "MIT")]
    [InlineData("// Licensed to the .NET Foundation under one or more agreements.\n// The .NET Foundation licenses this file to you under the MIT license.\n", "MIT")]
    [InlineData("// Licensed under the Apache License, Version 2.0 (the \"License\");\nnamespace A;", "Apache-2.0")]
    [InlineData("/*\n  This program is free software; you can redistribute it and/or modify\n  it under the terms of the GNU General Public License as published by\n  the Free Software Foundation; either version 3 of the License, or\n  (at your option) any later version.\n*/\nclass A { }", "GPL-3.0-or-later")]
    [InlineData("// This Source Code Form is subject to the terms of the Mozilla Public License, v. 2.0.\nclass A { }", "MPL-2.0")]
    [InlineData("\n#if NET20\n\n#region License, Terms and Author(s)\n// Copyright (c) 2007-9 Someone. All rights reserved.\n// under the terms of the New BSD License, a copy of which should have\n#endregion\n\nusing System;", "BSD-3-Clause")]
    [InlineData("// Copyright (c) Someone. All rights reserved.\nclass A { }", "")]
    [InlineData("class A { }\n// Licensed under the GNU General Public License\n", "")]
    [InlineData("// SPDX-License-Identifier: MIT/GPL-3.0\nclass A { }", "unknown")]
    [InlineData("// SPDX-License-Identifier: MIT, GPL-3.0-only\nclass A { }", "unknown")]
    [InlineData("// SPDX-License-Identifier: MIT\tAND GPL-3.0-only\nclass A { }", "MIT AND GPL-3.0-only")]
    [InlineData("// Copyright (c) Foo. Licensed under the GPL v3.\nclass A { }", "GPL-3.0-only")]
    [InlineData("// Copyright (c) 2008 Jane Doe. Licensed under the GNU GPL v2.\nclass A { }", "GPL-2.0-only")]
    [InlineData("// Copyright (c) Foo. Licensed under the Frobnitz Public Licence.\nclass A { }", "unknown")]
    [InlineData("using System;\nusing System.IO;\n// SPDX-License-Identifier: GPL-3.0-only\nclass A { }", "GPL-3.0-only")]
    [InlineData("// Licensed under the GNU General Public License\nclass A { }", "unknown")]
    [InlineData("// See the LICENSE file in the project root for more information.\nclass A { }", "")]
    [InlineData("// This file is licensed under the terms found in LICENSE.txt.\nclass A { }", "")]
    public void FromHeader_StatedLicence_IsItsSpdxId(string file, string expected)
    {
        Assert.Equal(expected, LicenseText.FromHeader(file));
    }

    [Theory]
    [InlineData("file:///etc/passwd")]
    [InlineData("/home/someone/repos/project.git")]
    [InlineData("../other/project")]
    [InlineData("https://github.com/owner/<script>alert(1)</script>")]
    [InlineData("https://github.com/owner/na](javascript:alert(1))me")]
    [InlineData("C:/repos/project")]
    public void ParseRemote_LocalOrOddOrigins_AreNoUpstream(string url)
    {
        Assert.Null(SourceRootReader.ParseRemote(url));
    }

    [Theory]
    [InlineData("ref: ../../../../../../etc/hostname\n")]
    [InlineData("ref: refs/heads/../../../../../etc/hostname\n")]
    [InlineData("ref: /etc/hostname\n")]
    [InlineData("not a sha at all\n")]
    public void Read_HostileOrOddHead_GivesNoCommitAndNeverReadsOutsideGit(string head)
    {
        _tree.Write(".git/HEAD", head);

        var root = SourceRootReader.Read(_tree.Root);

        Assert.Equal("", root.Commit);
    }

    [Fact]
    public void Read_RefFileThatIsNotASha_GivesNoCommit()
    {
        _tree.Write(".git/HEAD", "ref: refs/heads/main\n");
        _tree.Write(".git/refs/heads/main", "not-a-sha <script>\n");

        Assert.Equal("", SourceRootReader.Read(_tree.Root).Commit);
    }

    [Fact]
    public void Read_HeadThatIsADirectoryOrGitdirWithNul_DoesNotFail()
    {
        Directory.CreateDirectory(Path.Combine(_tree.Root, ".git", "HEAD"));
        var nested = Path.Combine(_tree.Root, "sub");
        Directory.CreateDirectory(nested);
        File.WriteAllText(Path.Combine(nested, ".git"), "gitdir: a\0b\n");

        Assert.Equal("", SourceRootReader.Read(_tree.Root).Commit);
        Assert.Equal("", SourceRootReader.Read(nested).Commit);
    }

    [Theory]
    [InlineData("License.txt")]
    [InlineData("LICENSE.md")]
    [InlineData("licence")]
    [InlineData("COPYING.txt")]
    [InlineData("LICENSE-APACHE")]
    public void DetectLicense_CommonFileNames_AreFoundInAnyCase(string name)
    {
        _tree.Write(name, "Apache License\nVersion 2.0, January 2004");

        Assert.Equal("Apache-2.0", SourceRootReader.DetectLicense(_tree.Root));
    }

    [Fact]
    public void DetectLicense_EmptyFile_IsUnknownNotNone()
    {
        _tree.Write("LICENSE", "");

        Assert.Equal("unknown", SourceRootReader.DetectLicense(_tree.Root));
    }

    [Fact]
    public void DetectLicense_LinkToATextElsewhere_IsUnknownNotNone()
    {
        _tree.Write("elsewhere/MIT.txt", "Permission is hereby granted, free of charge");
        Directory.CreateDirectory(Path.Combine(_tree.Root, "proj"));
        File.CreateSymbolicLink(Path.Combine(_tree.Root, "proj", "LICENSE"), Path.Combine(_tree.Root, "elsewhere", "MIT.txt"));

        Assert.Equal("unknown", SourceRootReader.DetectLicense(Path.Combine(_tree.Root, "proj")));
    }

    [Theory]
    [InlineData("LICENSE-MIT", "Permission is hereby granted, free of charge", "LICENSE-APACHE", "Apache License\nVersion 2.0, January 2004", "Apache-2.0 OR MIT")]
    [InlineData("COPYING", "GNU GENERAL PUBLIC LICENSE\nVersion 3, 29 June 2007", "COPYING.LESSER", "GNU LESSER GENERAL PUBLIC LICENSE\nVersion 3, 29 June 2007", "LGPL-3.0-only")]
    public void DetectLicense_SeveralLicenceFiles_GiveTheProjectsExpression(string first, string firstText, string second, string secondText, string expected)
    {
        _tree.Write(first, firstText);
        _tree.Write(second, secondText);

        Assert.Equal(expected, SourceRootReader.DetectLicense(_tree.Root));
    }

    [Fact]
    public void Read_LicenceFileAboveTheSourceOutsideGit_IsTheProjectsLicenceAndName()
    {
        _tree.Write("gplapp/COPYING", "GNU GENERAL PUBLIC LICENSE\nVersion 3, 29 June 2007");
        _tree.Write("gplapp/src/Core/Mu.cs", "class Mu { }");

        var root = SourceRootReader.Read(Path.Combine(_tree.Root, "gplapp", "src"));

        Assert.Equal(("GPL-3.0-only", "gplapp", Path.Combine(_tree.Root, "gplapp")), (root.License, root.Repo, root.RootPath));
    }
}
