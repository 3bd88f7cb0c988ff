#!/usr/bin/env python3
"""Builds a JSONL dataset that `autorefiner validate` reads from the practice exercises of the public
exercism/csharp repository (https://github.com/exercism/csharp; the figures in docs/benchmarks.md used commit
4e98758acaf5dd1353946ddf8e24b8b9d42d79e1). The exercise data is not part of this repository.

usage: make-jsonl.py <exercises/practice folder> <out.jsonl>

Each row: id (the exercise), instruction (its blurb), response (the reference solution .meta/Example.cs in a
```csharp block), tests (its xunit tests with every Skip removed), and packages: the NuGet packages its test
project references beyond the test framework itself (xunit, the test SDK, Exercism's own test helpers), so a run
can be split into exercises that need no package and those that do.
"""
import json
import os
import re
import sys

FRAMEWORK = {"Microsoft.NET.Test.Sdk", "xunit.v3", "xunit.runner.visualstudio", "Exercism.Tests.xunit.v3"}
SKIP = re.compile(r'\(\s*Skip\s*=\s*"[^"]*"\s*\)')


def main(practice, out):
    rows = 0
    with open(out, "w", encoding="utf-8", newline="\n") as sink:
        for name in sorted(os.listdir(practice)):
            folder = os.path.join(practice, name)
            meta = os.path.join(folder, ".meta", "config.json")
            if not os.path.isfile(meta):
                continue
            with open(meta, encoding="utf-8") as f:
                config = json.load(f)
            files = config.get("files", {})
            solution = "\n".join(read(os.path.join(folder, p)) for p in files.get("example", []))
            tests = "\n".join(SKIP.sub("", read(os.path.join(folder, p))) for p in files.get("test", []))
            packages = []
            for project in (p for p in os.listdir(folder) if p.endswith(".csproj")):
                packages += [p for p in re.findall(r'<PackageReference\s+Include="([^"]+)"', read(os.path.join(folder, project))) if p not in FRAMEWORK]
            row = {
                "id": name,
                "instruction": config.get("blurb", name),
                "output": "```csharp\n" + solution + "\n```",
                "tests": tests,
                "packages": sorted(set(packages)),
            }
            sink.write(json.dumps(row, ensure_ascii=False) + "\n")
            rows += 1
    print(f"{rows} exercises -> {out}")


def read(path):
    with open(path, encoding="utf-8-sig") as f:
        return f.read()


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: make-jsonl.py <exercises/practice folder> <out.jsonl>")
    main(sys.argv[1], sys.argv[2])
