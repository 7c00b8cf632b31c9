"""`--jobs N` against `--jobs 1` on unique documents, through the command line.

    python benchmarks/jobs.py                    # spun, clean and mixed; plain and JSONL
    python benchmarks/jobs.py --kinds spun --formats text --repeat 3
    python benchmarks/jobs.py --src ../other/src # time another checkout

The inputs are every paragraph of the pools of `unique.py` (the real clean corpus and the
English prose of Debian's python3.11-doc and perl-doc, 7.6 MB), then of its more prose
(`unique.MORE_PROSE_PACKAGES`: the Linux kernel's documentation and the Django and
PostgreSQL manuals), no sentence twice, cut into article-sized documents up to `--mb`
(20 MB): "clean" as they are, "spun" through `textrepair.strategies.spin_text`, "mixed"
runs of both in turns. The size used is printed. Each run is ``python -m textrepair
--jobs N < input > output`` (with ``--jsonl`` for the JSON-lines format, one document a
record) in a fresh process: wall-clock time and the CPU time of the process tree, with
the 1-minute load average before it. The runs take turns (`--jobs 1`, `--jobs 2`, ...
then again) so a drift of the machine hits every setting; every output must be
byte-identical to that of `--jobs 1`, else the script fails. The start (the CLI on empty
input, with bytecode cached as an installed package has it) is
serial; the bound it sets on the ratio is printed too.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import unique  # beside this script, so on its path

# Documents of 1-5 KB, as a crawl's pages come (a unit of the CLI holds many of them).
DOC_BYTES = (1_000, 5_000)
# "mixed": runs of this many documents, spun and clean in turns (about a unit each), so
# that units differ tenfold in cost, as a crawl's sites do.
MIXED_RUN = 100
KINDS = ("spun", "clean", "mixed")
SEED = unique.SEED


def unique_documents(limit: int) -> list[str]:
    """Article-sized documents of consecutive paragraphs, up to `limit` bytes in all."""
    pools = unique.source_paragraphs(more_prose=True)
    paragraphs = pools["news"] + pools["prose"] + pools["more"]
    rng = random.Random(SEED)
    docs: list[str] = []
    parts: list[str] = []
    size = total = 0
    target = rng.randint(*DOC_BYTES)
    for paragraph in paragraphs:
        parts.append(paragraph)
        size += len(paragraph.encode("utf-8")) + 2
        if size >= target:
            docs.append("\n\n".join(parts))
            total += size
            parts, size, target = [], 0, rng.randint(*DOC_BYTES)
            if total >= limit:
                break
    return docs


def write_inputs(directory: Path, limit: int, kinds: list[str]) -> dict[tuple[str, str], Path]:
    """The input file of every kind and format, written into `directory`."""
    from textrepair.strategies import spin_text

    docs = unique_documents(limit)
    paths = {}
    spun = [spin_text(doc, seed=f"{SEED}-{index}") for index, doc in enumerate(docs)]
    for kind in kinds:
        if kind == "mixed":
            texts = [
                (spun if index // MIXED_RUN % 2 else docs)[index] for index in range(len(docs))
            ]
        else:
            texts = spun if kind == "spun" else docs
        text_path = directory / f"{kind}.txt"
        text_path.write_text("\n\n".join(texts) + "\n", encoding="utf-8")
        jsonl_path = directory / f"{kind}.jsonl"
        with jsonl_path.open("w", encoding="utf-8") as out:
            for index, text in enumerate(texts):
                out.write(json.dumps({"id": index, "text": text}, ensure_ascii=False) + "\n")
        paths[kind, "text"], paths[kind, "jsonl"] = text_path, jsonl_path
    return paths


def run_cli(src: Path, source: Path, output: Path, jobs: int, jsonl: bool) -> dict[str, float]:
    """One run of the filter: wall seconds, CPU seconds of its process tree, load before."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(src), env.get("PYTHONPATH")) if p)
    # Bytecode kept between runs, outside the checkout, as an installed package has it:
    # compiling textrepair's sources again in every run is 0.08 s of each start.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(output.parent / "pycache")
    command = [sys.executable, "-m", "textrepair", "--jobs", str(jobs)]
    if jsonl:
        command.append("--jsonl")
    load = os.getloadavg()[0]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    with source.open("rb") as stdin, output.open("wb") as stdout:
        subprocess.run(command, stdin=stdin, stdout=stdout, env=env, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall": wall, "cpu": cpu, "load": load}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, default=20.0, help="at most this much input")
    parser.add_argument("--kinds", nargs="+", default=list(KINDS), choices=KINDS)
    parser.add_argument(
        "--formats", nargs="+", default=["text", "jsonl"], choices=["text", "jsonl"]
    )
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2], help="first is the base")
    parser.add_argument("--repeat", type=int, default=2, help="runs of each setting, in turns")
    parser.add_argument("--src", type=Path, default=unique.SRC, help="the checkout to time")
    parser.add_argument("--json", type=Path, help="write every run here")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory(prefix="textrepair-jobs-") as scratch:
        directory = Path(scratch)
        paths = write_inputs(directory, int(args.mb * 1e6), args.kinds)
        print(f"textrepair from {args.src}; {os.cpu_count()} cores")
        empty = directory / "empty"
        empty.write_bytes(b"")
        run_cli(args.src, empty, directory / "out", args.jobs[0], False)  # writes bytecode
        start = min(
            run_cli(args.src, empty, directory / "out", args.jobs[0], False)["wall"]
            for _ in range(args.repeat)
        )
        print(f"start (import, tables, empty input): {start:.2f} s", flush=True)
        for (kind, form), path in paths.items():
            if form in args.formats:
                runs = measure(args, directory, kind, form, path, start)
                if runs is None:
                    return 1
                results.append({"kind": kind, "format": form, "bytes": path.stat().st_size})
                results[-1]["runs"] = runs
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    return 0


def measure(
    args: argparse.Namespace, directory: Path, kind: str, form: str, path: Path, start: float
) -> dict[int, list[dict[str, float]]] | None:
    """Every run of one input, in turns; None if an output differs from the first."""
    size = path.stat().st_size
    print(f"\n{kind} {form}: {size / 1e6:.2f} MB, {path.name}", flush=True)
    runs: dict[int, list[dict[str, float]]] = {jobs: [] for jobs in args.jobs}
    base_digest = None
    for turn in range(args.repeat):
        for jobs in args.jobs:
            output = directory / f"out-{jobs}"
            run = run_cli(args.src, path, output, jobs, form == "jsonl")
            runs[jobs].append(run)
            found = digest(output)
            base_digest = base_digest or found
            same = "identical" if found == base_digest else "DIFFERENT"
            print(
                f"  turn {turn + 1} --jobs {jobs}: wall {run['wall']:.2f} s,"
                f" CPU {run['cpu']:.2f} s, load before {run['load']:.2f},"
                f" {size / 1e6 / run['wall']:.2f} MB/s, output {same}",
                flush=True,
            )
            if found != base_digest:
                print(f"--jobs {jobs} output differs from --jobs {args.jobs[0]}")
                return None
    best = {jobs: min(run["wall"] for run in done) for jobs, done in runs.items()}
    base = args.jobs[0]
    work = max(best[base] - start, 0.0)
    for jobs in args.jobs[1:]:
        # What a machine with `jobs` idle cores would give at best: the start is serial.
        bound = (start + work) / (start + work * base / jobs)
        # Each turn's runs are next to each other in time: their ratio sees the least drift.
        turns = [
            one["wall"] / other["wall"] for one, other in zip(runs[base], runs[jobs], strict=True)
        ]
        print(
            f"  --jobs {jobs} / --jobs {base}: best wall {best[base] / best[jobs]:.2f}x,"
            f" turn by turn {', '.join(f'{ratio:.2f}x' for ratio in turns)}"
            f" (bound from the serial start: {bound:.2f}x)"
        )
    return runs


if __name__ == "__main__":
    raise SystemExit(main())
