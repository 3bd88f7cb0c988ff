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
    /// A documented method of its own per class: each project's code does something different (near-duplicate detection
    /// sees through renamed names, so classes that differed only in their names would collapse into one row).
    /// </summary>
    private static string Class(string name, string method, string header = "") => header + $$"""
        public static class {{name}}
        {
            /// <summary>{{Methods[method].Doc}}</summary>
            public static int {{method}}(int[] values)
            {
        {{Methods[method].Body}}
            }
        }
        """;

    private static readonly Dictionary<string, (string Doc, string Body)> Methods = new(StringComparer.Ordinal)
    {
        ["Read"] = ("Sums the squares of the numbers.", """
                    var total = 0;
                    foreach (var value in values)
                    {
                        total += value * value;
                    }

                    return total;
            """),
        ["Borrowed"] = ("Counts the negative numbers that come right after a positive one.", """
                    var count = 0;
                    for (var i = 1; i < values.Length; i++)
                    {
                        if (values[i] < 0 && values[i - 1] > 0)
                        {
                            count++;
                        }
                    }

                    return count;
            """),
        ["Load"] = ("The largest value, or -1 when there is none.", """
                    return values.Length == 0 ? -1 : values.Max();
            """),
        ["Lock"] = ("The sum of the distances between neighbouring values.", """
                    return values.Zip(values.Skip(1), (a, b) => Math.Abs(a - b)).Sum();
            """),
        ["Squares"] = ("Sums the squares of the even numbers.", """
                    return values.Where(v => v % 2 == 0).Sum(v => v * v);
            """),
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
