#!/usr/bin/env python3
"""Translates the evaluation sets `curation.benchmarks: [builtin]` keeps out of every dataset: MultiPL-E's C#
translations of HumanEval (humaneval-cs) and MBPP (mbpp-cs), prompts and tests, into one JSONL file (--out). That text
is NOT committed: AutoRefiner ships only its fingerprints, made from this file by

  dotnet run -c Release --project bench/AutoRefiner.Bench -- benchmark-fingerprints OUT.jsonl.gz \
      src/Core/Curation/Benchmarks/builtin-benchmarks.fingerprints.jsonl.gz

Usage:
  scripts/build-builtin-benchmarks.py --multipl-e CHECKOUT --commit COMMIT
      runs MultiPL-E's own translator (dataset_builder/prepare_prompts_json.py with humaneval_to_cs.py, doctests
      transformed, reworded prompts: the form MultiPL-E publishes as humaneval-cs-reworded and mbpp-cs-reworded) over
      datasets/originals-with-cleaned-doctests and datasets/mbpp-typed of the checkout, and writes the resource.
  scripts/build-builtin-benchmarks.py ... --from-json SET=FILE --json-source SET=TEXT
      takes SET from a JSON file already written by prepare_prompts_json.py (a list of {name, prompt, tests, ...}, e.g.
      MultiPL-E's published humaneval-cs-reworded.json) instead of translating it; TEXT says where that file came from
      and is written into every line of the set. Sets not given this way are translated from --multipl-e.

COMMIT is the nuprl/MultiPL-E commit the checkout is at; it is written into every translated line, so the data says
where it came from. Nothing of the checkout but the translated prompts and tests is kept, and no path of this machine
is written. The output is byte-for-byte the same for the same input (sorted lines, gzip without a timestamp).
--out (required) is where the translated text goes; keep it outside the repository.
"""
import argparse
import gzip
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

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
        # The translator globs --originals below its own datasets folder, so the path is given relative to
        # dataset_builder (an absolute one is refused by pathlib's glob).
        subprocess.run(
            [sys.executable, "prepare_prompts_json.py", "--lang", "humaneval_to_cs.py", "--doctests", "transform",
             "--prompt-terminology", "reworded", "--originals", "../" + originals, "--output", str(out)],
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


def pairs(specs: list, option: str) -> dict:
    result = {}
    for spec in specs:
        name, _, value = spec.partition("=")
        if name not in SETS or not value:
            raise SystemExit(f"{option} takes SET=VALUE with SET one of {', '.join(SETS)}, not {spec!r}")
        result[name] = value
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--multipl-e", metavar="CHECKOUT", help="a nuprl/MultiPL-E checkout")
    ap.add_argument("--commit", help="the nuprl/MultiPL-E commit the checkout is at")
    ap.add_argument("--from-json", action="append", default=[], metavar="SET=FILE")
    ap.add_argument("--json-source", action="append", default=[], metavar="SET=TEXT")
    ap.add_argument("--out", type=Path, required=True, help="the JSONL (.gz) of translated prompts and tests to write")
    args = ap.parse_args()

    files = pairs(args.from_json, "--from-json")
    sources = pairs(args.json_source, "--json-source")
    for name in files:
        if name not in sources:
            raise SystemExit(f"--from-json {name}=... needs --json-source {name}=TEXT saying where the file came from")

    problems, source_of = {}, {}
    for name, file in files.items():
        problems[name] = json.loads(Path(file).read_text(encoding="utf-8"))
        source_of[name] = sources[name]

    missing = [name for name in SETS if name not in problems]
    if missing:
        if not args.multipl_e:
            raise SystemExit(f"give a MultiPL-E checkout (--multipl-e) to translate {', '.join(missing)}")
        if not args.commit or not re.fullmatch(r"[0-9a-f]{7,40}", args.commit):
            raise SystemExit(f"--commit must be the checkout's hexadecimal git hash, not {args.commit!r}")
        checkout = Path(args.multipl_e)
        if not (checkout / "dataset_builder" / "humaneval_to_cs.py").is_file():
            raise SystemExit(f"{checkout} is not a MultiPL-E checkout (dataset_builder/humaneval_to_cs.py is missing)")
        for name in missing:
            problems[name] = translate(checkout, SETS[name][0])
            source_of[name] = f"nuprl/MultiPL-E@{args.commit}"

    lines = [json.dumps(r, ensure_ascii=False, sort_keys=True)
             for name in sorted(problems)
             for r in sorted(rows(name, problems[name], source_of[name]), key=lambda r: int(r["id"].split("/")[1]))]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    # mtime=0 and no file name so the same data gives the same bytes.
    with open(args.out, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as gz:
        gz.write(("\n".join(lines) + "\n").encode("utf-8"))
    counts = {n: len(problems[n]) for n in sorted(problems)}
    print(f"wrote {args.out.name}: " + ", ".join(f"{n} {c} items" for n, c in counts.items()))


if __name__ == "__main__":
    main()
