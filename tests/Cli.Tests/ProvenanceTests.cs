using System.Text.Json;

namespace AutoRefiner.Cli.Tests;

/// <summary>Licences and provenance a dataset can be published under, as a user sees them: a folder holding several projects.</summary>
public sealed class ProvenanceTests : IDisposable
{
    private const string Mit = "MIT License\n\nCopyright (c) 2015 Ada Example\n\nPermission is hereby granted, free of charge, to any person obtaining a copy\n";
    private const string GplHeader = """
        /*
          Demo App
          Copyright (C) 2003-2021 Grace Example <grace@example.org>

          This program is free software; you can redistribute it and/or modify
          it under the terms of the GNU General Public License as published by
          the Free Software Foundation; either version 2 of the License, or
          (at your option) any later version.
        */

        """;

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>
    /// A documented method of its own for each class: near-copies would be left out as near-duplicates, and what these
    /// tests follow is each project's provenance.
    /// </summary>
    private static string Class(string name, string method, string header = "") => header + $$"""
        public static class {{name}}
        {
            /// <summary>{{Bodies[name].Doc}}</summary>
            public static int {{method}}(int[] values)
            {
        {{Bodies[name].Body}}
            }
        }
        """;

    private static readonly Dictionary<string, (string Doc, string Body)> Bodies = new(StringComparer.Ordinal)
    {
        ["Reader"] = ("Sums the squares of the numbers.", "        var total = 0;\n        foreach (var value in values)\n        {\n            total += value * value;\n        }\n\n        return total;"),
        ["Vendored"] = ("Counts the numbers above their running average.", "        long sum = 0;\n        var above = 0;\n        for (var i = 0; i < values.Length; i++)\n        {\n            if (i > 0 && values[i] * (long)i > sum)\n                above++;\n            sum += values[i];\n        }\n\n        return above;"),
        ["Module"] = ("The largest gap between two neighbours, or 0 with fewer than two numbers.", "        var gap = 0;\n        for (var i = 1; i < values.Length; i++)\n            gap = Math.Max(gap, Math.Abs(values[i] - values[i - 1]));\n        return gap;"),
        ["Vault"] = ("Folds the numbers into a checksum that changes with their order.", "        unchecked\n        {\n            var hash = 17;\n            foreach (var v in values)\n                hash = (hash * 31) ^ v;\n            return hash;\n        }"),
        ["Sum"] = ("Sums the squares of the even numbers only.", "        return values.Where(v => v % 2 == 0).Sum(v => v * v);"),
    };

    /// <summary>Two MIT projects (one file of which states Apache-2.0 itself) and a GPL one, as Debian's source packages lay them out.</summary>
    private string WriteProjects()
    {
        _dir.Write("x/json-lib/LICENSE.md", Mit);
        _dir.Write("x/json-lib/Src/Json/Json.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\" />");
        _dir.Write("x/json-lib/Src/Json/Reader.cs", Class("Reader", "Read"));
        _dir.Write("x/json-lib/Src/Json/Vendored.cs", Class("Vendored", "Borrowed", "// SPDX-License-Identifier: Apache-2.0\n\n"));
        _dir.Write("x/json-lib/Build/Json.nuspec", "<package><metadata><id>Json</id><version>6.0.8</version></metadata></package>");
        _dir.Write("x/asm-lib/LICENSE.txt", "asm-lib: .NET assembly library\n\n" + Mit);
        _dir.Write("x/asm-lib/src/Module.cs", Class("Module", "Load"));
        _dir.Write("x/pass-app/Docs/License.txt", "Demo: distributed under the terms of the GNU General Public License\nversion 2 or later.\n\nGNU GENERAL PUBLIC LICENSE\nVersion 2, June 1991\n\nPreamble\n\nTERMS AND CONDITIONS\n");
        _dir.Write("x/pass-app/App/Vault.cs", Class("Vault", "Lock", GplHeader));
        return _dir.Combine("x");
    }

    private static List<JsonElement> Rows(string outDir) => CliRunner.ReadAllJsonlRows(outDir);

    private static string Column(JsonElement row, string name) => row.GetProperty(name).GetString()!;

    [Fact]
    public async Task Harvest_FolderOfMitAndGplProjects_KeepsTheMitOnesEachNamedAndLicensed()
    {
        var x = WriteProjects();
        var outDir = _dir.Combine("out");

        var result = await CliRunner.RunAsync(["harvest", "--source", x, "--out", outDir, "--state", _dir.Combine("s.db")]);

        Assert.True(result.ExitCode == 0, result.Output + result.Errors);
        var rows = Rows(outDir);
        Assert.Equal(
            [("asm-lib", "MIT", "project"), ("json-lib", "Apache-2.0", "file"), ("json-lib", "MIT", "project")],
            rows.Select(r => (Column(r, "source_repo"), Column(r, "source_license"), Column(r, "license_origin"))).Order());
        Assert.DoesNotContain(rows, r => Column(r, "source_repo") is "x" or "pass-app");
        Assert.All(rows, r => Assert.Matches(@"^\d+-\d+$", Column(r, "source_lines")));
        Assert.All(rows.Where(r => Column(r, "source_repo") == "json-lib"), r => Assert.Equal("6.0.8", Column(r, "source_project_version")));
        Assert.Equal("src/Module.cs", Column(Assert.Single(rows, r => Column(r, "source_repo") == "asm-lib"), "source_path"));

        var card = File.ReadAllText(Path.Combine(outDir, "README.md"));
        Assert.StartsWith("---\nlicense: other\nlicense_name: multiple\n", card, StringComparison.Ordinal);
        Assert.Contains("| MIT | 2 |\n", card, StringComparison.Ordinal);
        Assert.Contains("| Apache-2.0 | 1 |\n", card, StringComparison.Ordinal);
        Assert.Contains("| asm-lib | MIT |  | 1 |\n", card, StringComparison.Ordinal);
        var attribution = File.ReadAllText(Path.Combine(outDir, "ATTRIBUTION.md"));
        Assert.Contains("| json-lib | 6.0.8 | (not a git checkout) | Apache-2.0 \\(1\\), MIT \\(1\\) |  | 2 |\n", attribution, StringComparison.Ordinal);
        Assert.Contains("    Copyright (c) 2015 Ada Example\n", attribution, StringComparison.Ordinal);

        // Nothing that push publishes names a path of this machine.
        foreach (var file in Directory.EnumerateFiles(outDir, "*", SearchOption.AllDirectories))
        {
            var text = System.Text.Encoding.UTF8.GetString(File.ReadAllBytes(file));
            Assert.False(text.Contains(_dir.Path, StringComparison.Ordinal), $"{Path.GetFileName(file)} names {_dir.Path}");
        }
    }

    [Fact]
    public async Task Harvest_GplIdOnTheList_KeepsTheGplRowsLabelledOrLater()
    {
        var x = WriteProjects();
        var config = _dir.Write("harvest.yml", "curation:\n  licenses: [mit, apache-2.0, GPL-2.0-or-later]\n");
        var outDir = _dir.Combine("out");

        var result = await CliRunner.RunAsync(["harvest", "--config", config, "--source", x, "--out", outDir, "--state", _dir.Combine("s.db")]);

        Assert.True(result.ExitCode == 0, result.Output + result.Errors);
        var gpl = Assert.Single(Rows(outDir), r => Column(r, "source_repo") == "pass-app");
        Assert.Equal(("GPL-2.0-or-later", "file", "App/Vault.cs"), (Column(gpl, "source_license"), Column(gpl, "license_origin"), Column(gpl, "source_path")));
        Assert.Contains("Copyright (C) 2003-2021 Grace Example", Column(gpl, "source_notice"), StringComparison.Ordinal);
        Assert.Contains("| GPL-2.0-or-later | 1 |\n", File.ReadAllText(Path.Combine(outDir, "README.md")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Harvest_OneMitProject_CardLicenseIsMit()
    {
        _dir.Write("lib/LICENSE", Mit);
        _dir.Write("lib/Sum.cs", Class("Sum", "Squares"));
        var outDir = _dir.Combine("out");

        var result = await CliRunner.RunAsync(["harvest", "--source", _dir.Combine("lib"), "--out", outDir, "--state", _dir.Combine("s.db")]);

        Assert.True(result.ExitCode == 0, result.Output + result.Errors);
        Assert.StartsWith("---\nlicense: mit\n", File.ReadAllText(Path.Combine(outDir, "README.md")), StringComparison.Ordinal);
        Assert.Equal("MIT", Column(Assert.Single(Rows(outDir)), "source_license"));
    }
}
