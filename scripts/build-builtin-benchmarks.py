#!/usr/bin/env python3
"""Rebuilds src/Core/Curation/Benchmarks/builtin-benchmarks.jsonl.gz, the evaluation sets `curation.benchmarks: [builtin]`
keeps out of every dataset: MultiPL-E's C# translations of HumanEval (humaneval-cs) and MBPP (mbpp-cs).

Usage:
  scripts/build-builtin-benchmarks.py MULTIPL_E_CHECKOUT COMMIT
      runs MultiPL-E's own translator (dataset_builder/prepare_prompts_json.py with humaneval_to_cs.py, doctests
      transformed, reworded prompts: the form MultiPL-E publishes) over datasets/originals-with-cleaned-doctests and
      datasets/mbpp-typed, then writes the resource.
  scripts/build-builtin-benchmarks.py --from-json humaneval-cs=FILE [--from-json mbpp-cs=FILE] [--source-repo O/R] COMMIT
      takes JSON files already written by prepare_prompts_json.py (the same list of {name, prompt, tests, ...}), e.g.
      MultiPL-E's published humaneval-cs-reworded; --source-repo names the repository they were taken from.

COMMIT is the MultiPL-E commit the data comes from; it is written into every line and into the NOTICE, so the data
says where it came from. Nothing of the checkout but the translated prompts and tests is kept, and no path of this
machine is written.
"""
import argparse
import gzip
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "src" / "Core" / "Curation" / "Benchmarks" / "builtin-benchmarks.jsonl.gz"
SETS = {
    # benchmark -> (originals folder inside the checkout, id prefix as the upstream set writes it)
    "humaneval-cs": ("datasets/originals-with-cleaned-doctests", "HumanEval"),
    "mbpp-cs": ("datasets/mbpp-typed", "Mbpp"),
}
NAME = re.compile(r"^(?:HumanEval|mbpp)_(\d+)_(.+)$", re.IGNORECASE)


def translate(checkout: Path, originals: str) -> list:
    builder = checkout / "dataset_builder"
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.json"
        subprocess.run(
            [sys.executable, "prepare_prompts_json.py", "--lang", "humaneval_to_cs.py", "--doctests", "transform",
             "--prompt-terminology", "reworded", "--originals", str(checkout / originals), "--output", str(out)],
            cwd=builder, check=True, stdout=subprocess.DEVNULL)
        return json.loads(out.read_text(encoding="utf-8"))


def rows(benchmark: str, problems: list, source: str):
    prefix = SETS[benchmark][1]
    for p in problems:
        m = NAME.match(p["name"])
        if not m:
            raise SystemExit(f"{benchmark}: unexpected problem name {p['name']!r}")
        yield {
            "benchmark": benchmark,
            "id": f"{prefix}/{int(m.group(1))}",
            "name": m.group(2),
            "prompt": p["prompt"],
            "tests": p.get("tests", ""),
            "source": source,
        }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("checkout", nargs="?", help="a MultiPL-E checkout (omit with --from-json)")
    ap.add_argument("commit", help="the MultiPL-E commit the data comes from")
    ap.add_argument("--from-json", action="append", default=[], metavar="SET=FILE")
    ap.add_argument("--source-repo", default="nuprl/MultiPL-E",
                    help="the repository COMMIT belongs to, when --from-json files were taken from a copy of MultiPL-E's output")
    args = ap.parse_args()
    if not re.fullmatch(r"[0-9a-f]{7,40}", args.commit):
        raise SystemExit(f"the commit must be a hexadecimal git hash, not {args.commit!r}")

    problems = {}
    if args.from_json:
        for spec in args.from_json:
            name, _, file = spec.partition("=")
            if name not in SETS or not file:
                raise SystemExit(f"--from-json takes SET=FILE with SET one of {', '.join(SETS)}, not {spec!r}")
            problems[name] = json.loads(Path(file).read_text(encoding="utf-8"))
    elif args.checkout:
        checkout = Path(args.checkout)
        if not (checkout / "dataset_builder" / "humaneval_to_cs.py").is_file():
            raise SystemExit(f"{checkout} is not a MultiPL-E checkout (dataset_builder/humaneval_to_cs.py is missing)")
        for name, (originals, _) in SETS.items():
            problems[name] = translate(checkout, originals)
    else:
        raise SystemExit("give a MultiPL-E checkout, or --from-json files")

    lines = [json.dumps(r, ensure_ascii=False, sort_keys=True)
             for name in sorted(problems) for r in sorted(rows(name, problems[name], f"{args.source_repo}@{args.commit}"), key=lambda r: (r["benchmark"], int(r["id"].split("/")[1])))]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    # mtime=0 so the same data gives the same bytes.
    with open(OUT, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as gz:
        gz.write(("\n".join(lines) + "\n").encode("utf-8"))
    counts = {n: len(problems[n]) for n in sorted(problems)}
    print(f"wrote {OUT.relative_to(OUT.parents[4])}: " + ", ".join(f"{n} {c} items" for n, c in counts.items()))


if __name__ == "__main__":
    main()
