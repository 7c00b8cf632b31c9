"""Throughput, start-up time and memory of textrepair, measured against ftfy alone.

A plain script (not part of the test run):

    python benchmarks/bench.py            # full run, several minutes
    python benchmarks/bench.py --quick    # smaller inputs, about 30-60 s
    python benchmarks/bench.py --profile profile.txt   # also cProfile clean() on spun text

It works from a source checkout without installing: when ``textrepair`` cannot be
imported, ``src/`` is put on the path (and on PYTHONPATH for the subprocesses).
See benchmarks/README.md for what each number means.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import datetime
import io
import json
import os
import platform
import pstats
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SRC = ROOT / "src"

sys.path.insert(0, str(HERE))
try:
    import textrepair
except ImportError:
    sys.path.insert(0, str(SRC))

import ftfy  # noqa: E402
import make_inputs  # noqa: E402

import textrepair  # noqa: E402
from textrepair.pipeline import prepare  # noqa: E402

# A sentence from the seed article, as spun: the first call loads lexicon and model.
SPUN_SENTENCE = (
    "The US has carried out air strikes towards Iran-linked militia teams in japanese "
    "Syria in retaliation for latest assaults on American and coalition personnel in Iraq."
)

# Targets from the performance issue.
TARGETS = {
    "clean": 0.5,  # clean English: clean() at least half ftfy's throughput
    "spun": 0.25,  # spun text: at least a quarter
    "startup_s": 1.0,  # import + first call
    "rss_mb": 300.0,  # CLI peak RSS, whatever the input size
    "jobs2_speedup": 1.7,  # --jobs 2 over --jobs 1
}


def subprocess_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(SRC), env.get("PYTHONPATH")) if p)
    env.setdefault("PYTHONHASHSEED", "0")
    return env


def mb(n_bytes: int) -> float:
    return n_bytes / 1e6


# --------------------------------------------------------------------------- library


def time_over(func: Callable[[str], object], documents: Sequence[str]) -> tuple[float, float]:
    """Wall and CPU seconds to call `func` on every document, one by one."""
    start, cpu = time.perf_counter(), time.process_time()
    for document in documents:
        func(document)
    return time.perf_counter() - start, time.process_time() - cpu


def library_throughput(
    documents: Sequence[str], repeat: int, extra: dict[str, Callable[[str], object]]
) -> dict[str, object]:
    """Best-of-`repeat` MB/s of ftfy.fix_text and of each function in `extra`.

    Runs alternate (ftfy, then each function, per repetition) so that a burst of load
    from other users of the machine hits all of them alike. Both wall-clock and CPU
    (process_time) rates are kept: on a shared machine the CPU rate is the stable one.
    """
    size = sum(len(d.encode("utf-8")) for d in documents)
    runs: dict[str, list[tuple[float, float]]] = {"ftfy": [], **{name: [] for name in extra}}
    for _ in range(repeat):
        runs["ftfy"].append(time_over(ftfy.fix_text, documents))
        for name, func in extra.items():
            runs[name].append(time_over(func, documents))
    result: dict[str, object] = {"bytes": size, "documents": len(documents)}
    for name, timings in runs.items():
        wall = [t[0] for t in timings]
        cpu = [t[1] for t in timings]
        result[name] = {
            "seconds": [round(s, 3) for s in wall],
            "cpu_seconds": [round(s, 3) for s in cpu],
            "mb_per_s": round(mb(size) / min(wall), 3),
            "mb_per_s_cpu": round(mb(size) / min(cpu), 3),
        }
    return result


def spin_density(documents: Sequence[str]) -> dict[str, float]:
    """Unspin edits per 100 words, to show the generated spun text is as spun as the seed."""
    words = edits = 0
    for document in documents:
        words += len(document.split())
        edits += sum(1 for e in textrepair.repair(document).edits if e.stage == "unspin")
    return {"words": words, "unspin_edits": edits, "per_100_words": round(100 * edits / words, 2)}


# --------------------------------------------------------------------------- start-up


def startup(runs: int) -> dict[str, object]:
    """Median wall time of a fresh `python -c 'import textrepair; clean(...)'`, and of import."""
    env = subprocess_env()
    first_call = f"import textrepair; textrepair.clean({SPUN_SENTENCE!r})"
    results: dict[str, object] = {}
    for name, code in (
        ("python_only", "pass"),
        ("import", "import textrepair"),
        ("import_and_first_call", first_call),
    ):
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], env=env, check=True)
            times.append(time.perf_counter() - start)
        results[name] = {
            "median_s": round(statistics.median(times), 3),
            "runs_s": [round(t, 3) for t in times],
        }
    return results


# --------------------------------------------------------------------------- CLI


def cli_command(*arguments: str) -> list[str]:
    return [sys.executable, "-m", "textrepair", *arguments]


def cli_has_jobs() -> bool | None:
    """Whether the CLI accepts --jobs; None if there is no working CLI at all."""
    try:
        done = subprocess.run(
            cli_command("--help"), env=subprocess_env(), capture_output=True, text=True, timeout=60
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if done.returncode != 0:
        return None
    return "--jobs" in done.stdout


class TreeRSS:
    """Peak of the summed RSS of a process and all its descendants, polled from /proc."""

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        self.pid = pid
        self.interval = interval
        self.peak_kb = 0
        self.peak_pss_kb = 0
        self.peak_processes = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)

    def __enter__(self) -> TreeRSS:
        if Path("/proc/self/status").exists():
            self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def _poll(self) -> None:
        while not self._stop.is_set():
            tree = self._tree()
            total = sum(self._rss_kb(pid) for pid in tree)
            if total > self.peak_kb:
                self.peak_kb, self.peak_processes = total, len(tree)
            # PSS splits pages shared by forked workers fairly; RSS counts them in each.
            self.peak_pss_kb = max(self.peak_pss_kb, sum(self._pss_kb(pid) for pid in tree))
            self._stop.wait(self.interval)

    def _tree(self) -> list[int]:
        children: dict[int, list[int]] = {}
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry))
        tree, todo = [], [self.pid]
        while todo:
            pid = todo.pop()
            tree.append(pid)
            todo.extend(children.get(pid, ()))
        return tree

    @staticmethod
    def _pss_kb(pid: int) -> int:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    return int(line.split()[1])
        except OSError:
            pass
        return 0

    @staticmethod
    def _rss_kb(pid: int) -> int:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        except OSError:
            pass
        return 0


def run_cli(
    arguments: Sequence[str], measure_rss: bool = False, timeout: float | None = None
) -> dict[str, object]:
    """Run the CLI once; wall time, and peak RSS when asked.

    Peak RSS comes from `/usr/bin/time -v` (largest single process: with worker
    processes, the biggest of them or the parent) when it exists, else from
    getrusage(RUSAGE_CHILDREN); the summed RSS of the whole process tree is polled too.
    CPU seconds (user + system, workers included) come from getrusage(RUSAGE_CHILDREN).
    After `timeout` seconds the CLI is stopped (SIGINT, then SIGKILL) and the result
    says so: peak RSS is then the peak over the part of the input processed so far.
    """
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    command = cli_command(*arguments)
    gnu_time = shutil.which("time") if measure_rss else None
    if gnu_time and Path(gnu_time).resolve() == Path("/usr/bin/time").resolve():
        command = [gnu_time, "-v", *command]
    else:
        gnu_time = None
    start = time.perf_counter()
    process = subprocess.Popen(
        command,
        env=subprocess_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    tree = TreeRSS(process.pid) if measure_rss else None
    if tree:
        tree.__enter__()
    stopped = False
    try:
        _, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        # GNU time starts its child with SIGINT ignored, so stop the CLI and its workers
        # with SIGTERM and leave `time` alive: it still reports the peak RSS.
        stopped = True
        victims = TreeRSS(process.pid)._tree()
        if gnu_time:
            victims.remove(process.pid)
        for pid in victims:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)
        try:
            _, stderr = process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            for pid in TreeRSS(process.pid)._tree():
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            _, stderr = process.communicate()
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if tree:
        tree.__exit__()
    text = stderr.decode("utf-8", "replace")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    result: dict[str, object] = {
        "seconds": round(seconds, 3),
        "cpu_seconds": round(cpu, 3),
        "returncode": process.returncode,
    }
    if stopped:
        result["stopped_after_s"] = timeout
    elif process.returncode != 0:
        result["stderr"] = text[-2000:]
    if measure_rss:
        if gnu_time:
            for line in text.splitlines():
                if "Maximum resident set size" in line:
                    result["max_rss_mb_single_process"] = round(int(line.split()[-1]) / 1024, 1)
        else:
            kb = after.ru_maxrss
            result["max_rss_mb_single_process"] = round(kb / 1024, 1)
        assert tree is not None
        result["peak_rss_mb_process_tree"] = round(tree.peak_kb / 1024, 1)
        result["peak_pss_mb_process_tree"] = round(tree.peak_pss_kb / 1024, 1)
        result["processes_at_peak"] = tree.peak_processes
    return result


def write_input(path: Path, kind: str, total_bytes: int, seed: int) -> int:
    size = 0
    with path.open("wb") as out:
        for document in make_inputs.documents(kind, total_bytes, seed):
            data = document.encode("utf-8") + b"\n"
            out.write(data)
            size += len(data)
    return size


def cli_throughput(
    path: Path, size: int, jobs_values: Sequence[int], repeat: int, has_jobs: bool, workdir: Path
) -> dict[str, object]:
    results: dict[str, object] = {"bytes": size}
    for jobs in jobs_values:
        if not has_jobs and jobs != 1:
            results[f"jobs{jobs}"] = {"skipped": "the CLI has no --jobs option"}
            continue
        arguments = ["-o", str(workdir / "out.txt"), str(path)]
        if has_jobs:
            arguments = ["--jobs", str(jobs), *arguments]
        runs = [run_cli(arguments) for _ in range(repeat)]
        failed = [r for r in runs if r["returncode"] != 0]
        if failed:
            results[f"jobs{jobs}"] = {"failed": failed[0]}
            continue
        seconds = [float(r["seconds"]) for r in runs]  # type: ignore[arg-type]
        cpu = [float(r["cpu_seconds"]) for r in runs]  # type: ignore[arg-type]
        results[f"jobs{jobs}"] = {
            "seconds": seconds,
            "cpu_seconds": cpu,
            "mb_per_s": round(mb(size) / min(seconds), 3),
            "mb_per_s_cpu": round(mb(size) / min(cpu), 3),
        }
    return results


# --------------------------------------------------------------------------- profile


def profile_clean(documents: Sequence[str], top: int = 10, dump: str | None = None) -> str:
    """cProfile of clean() over `documents`: time per stage, top functions by cumulative
    and own time. `dump` keeps the raw profile (for snakeviz, pstats)."""
    # One-time loads stay outside the profile: lexicon, model, word lists.
    start = time.perf_counter()
    prepare(textrepair.Options())
    textrepair.clean(documents[0])
    one_time = time.perf_counter() - start
    profiler = cProfile.Profile()
    profiler.enable()
    for document in documents:
        textrepair.clean(document)
    profiler.disable()
    out = io.StringIO()
    size = sum(len(d.encode("utf-8")) for d in documents)
    out.write(
        f"cProfile of textrepair.clean over {len(documents)} documents, {mb(size):.2f} MB "
        f"(one-time loads before profiling: {one_time:.2f} s wall)\n"
    )
    stats = pstats.Stats(profiler, stream=out)
    if dump:
        stats.dump_stats(dump)
    total = max(stats.total_tt, 1e-9)  # type: ignore[attr-defined]
    out.write("\n== per stage (cumulative time of each stage's find_edits) ==\n")
    for (filename, _, function), row in sorted(stats.stats.items()):  # type: ignore[attr-defined]
        if function == "find_edits" and "stages" in filename:
            stage = Path(filename).stem
            out.write(f"{stage:<10} {row[3]:8.3f} s  {100 * row[3] / total:5.1f}%\n")
    stats.strip_dirs()
    out.write("\n== by cumulative time ==\n")
    stats.sort_stats("cumulative").print_stats(top)
    out.write("\n== by own (total) time ==\n")
    stats.sort_stats("tottime").print_stats(top)
    return out.getvalue()


# --------------------------------------------------------------------------- report


def machine() -> dict[str, object]:
    info: dict[str, object] = {
        "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "nproc": os.cpu_count(),
        "ftfy": ftfy.__version__,
        "textrepair": textrepair.__version__,
    }
    with contextlib.suppress(OSError):
        info["loadavg"] = os.getloadavg()
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                info["memory_gb"] = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return info


def verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("met" if ok else "NOT met")


def summary(results: dict[str, object]) -> str:
    """A Markdown table of everything measured, with the issue's targets."""
    lines = [
        "",
        "| measurement | wall MB/s | CPU MB/s | ratio to ftfy (wall / CPU) | target "
        "| verdict (wall / CPU) |",
        "|---|---|---|---|---|---|",
    ]
    lib = results.get("library", {})
    assert isinstance(lib, dict)
    for kind, target in (("clean", TARGETS["clean"]), ("spun", TARGETS["spun"]), ("damaged", None)):
        row = lib.get(kind)
        if not row:
            continue
        base = row["ftfy"]
        lines.append(
            f"| ftfy.fix_text, {kind} ({mb(row['bytes']):.1f} MB, {row['documents']} docs) "
            f"| {base['mb_per_s']:.2f} | {base['mb_per_s_cpu']:.2f} | 1 | | |"
        )
        for name in row:
            if not name.startswith("clean"):
                continue
            entry = row[name]
            wall = entry["mb_per_s"] / base["mb_per_s"]
            cpu = entry["mb_per_s_cpu"] / base["mb_per_s_cpu"]
            is_main = name == "clean" and target is not None
            lines.append(
                f"| textrepair.{name}, {kind} | {entry['mb_per_s']:.2f} "
                f"| {entry['mb_per_s_cpu']:.2f} "
                f"| {wall:.2f} / {cpu:.2f} | {f'>= {target}x' if is_main else ''} "
                f"| {f'{verdict(wall >= target)} / {verdict(cpu >= target)}' if is_main else ''} |"
            )
    start = results.get("startup")
    if isinstance(start, dict):
        first = start["import_and_first_call"]["median_s"]
        lines.append(
            f"| import + first call, fresh process (median) | {first:.2f} s | | | < 1 s "
            f"| {verdict(first < TARGETS['startup_s'])} |"
        )
        lines.append(
            f"| import textrepair only (median) | {start['import']['median_s']:.2f} s | | | | |"
        )
        lines.append(
            f"| bare python start-up (median) | {start['python_only']['median_s']:.2f} s | | | | |"
        )
    cli = results.get("cli")
    if isinstance(cli, dict):
        for kind, row in cli.items():
            base = lib.get(kind, {}).get("ftfy") if isinstance(lib.get(kind), dict) else None
            rates: dict[str, float] = {}
            for jobs in ("jobs1", "jobs2"):
                entry = row.get(jobs, {})
                label = f"CLI --jobs {jobs[4:]}, {kind} ({mb(row['bytes']):.1f} MB file)"
                if "mb_per_s" not in entry:
                    lines.append(f"| {label} | {json.dumps(entry)[:120]} | | | | |")
                    continue
                rates[jobs] = entry["mb_per_s"]
                ratio = (
                    f"{entry['mb_per_s'] / base['mb_per_s']:.2f} / "
                    f"{entry['mb_per_s_cpu'] / base['mb_per_s_cpu']:.2f}"
                    if base
                    else ""
                )
                lines.append(
                    f"| {label} | {entry['mb_per_s']:.2f} | {entry['mb_per_s_cpu']:.2f} "
                    f"| {ratio} | | |"
                )
            if len(rates) == 2:
                speedup = rates["jobs2"] / rates["jobs1"]
                lines.append(
                    f"| --jobs 2 / --jobs 1 wall throughput, {kind} | {speedup:.2f}x | | | >= 1.7x "
                    f"| {verdict(speedup >= TARGETS['jobs2_speedup'])} |"
                )
    rss = results.get("rss")
    if isinstance(rss, dict):
        for name, row in rss.items():
            if "max_rss_mb_single_process" not in row:
                lines.append(f"| CLI peak RSS, {name} | {json.dumps(row)[:120]} | | | | |")
                continue
            single = row["max_rss_mb_single_process"]
            tree = row["peak_rss_mb_process_tree"]
            pss = row.get("peak_pss_mb_process_tree", 0.0)
            done = row.get("output_bytes", row["bytes"])
            scope = (
                f"stopped after {row['stopped_after_s']:.0f} s, "
                f"{mb(done):.0f} of {mb(row['bytes']):.0f} MB done"
                if "stopped_after_s" in row
                else f"{mb(row['bytes']):.0f} MB in"
            )
            lines.append(
                f"| CLI peak RSS, {name} ({scope}) | {single:.0f} MB largest process, "
                f"{tree:.0f} MB RSS / {pss:.0f} MB PSS whole tree | | | < 300 MB "
                f"| {verdict(single < TARGETS['rss_mb'])} per process, "
                f"{verdict(pss < TARGETS['rss_mb'])} tree PSS |"
            )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark textrepair against ftfy.")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="small inputs, one repetition (about 30-60 s on an idle 2-core machine)",
    )
    parser.add_argument("--mb", type=float, help="MB of each library input (default 5; quick 0.1)")
    parser.add_argument("--repeat", type=int, default=3, help="repetitions, best kept (default 3)")
    parser.add_argument(
        "--startup-runs", type=int, default=5, help="fresh processes for start-up (default 5)"
    )
    parser.add_argument(
        "--cli-mb", type=float, help="MB of each CLI throughput input (default 20; quick 0.3)"
    )
    parser.add_argument(
        "--rss-mb", type=float, help="MB of the CLI peak-RSS input (default 200; quick 3)"
    )
    parser.add_argument(
        "--cli-repeat", type=int, help="repetitions of each CLI run (default: --repeat; quick 1)"
    )
    parser.add_argument(
        "--rss-timeout", type=float, help="stop the RSS run after this many seconds (default: none)"
    )
    parser.add_argument(
        "--rss-kind",
        choices=make_inputs.KINDS,
        default="clean",
        help="kind of the RSS input (default clean)",
    )
    parser.add_argument(
        "--skip",
        action="append",
        default=[],
        choices=("library", "startup", "cli", "rss"),
        help="skip a part (repeatable)",
    )
    parser.add_argument(
        "--profile",
        metavar="FILE",
        help="also cProfile clean() on the spun input; write the report to FILE",
    )
    parser.add_argument(
        "--profile-mb", type=float, default=1.0, help="MB of spun input to profile (default 1)"
    )
    parser.add_argument("--json", metavar="FILE", help="write every number to FILE as JSON")
    parser.add_argument("--tmpdir", help="where to write CLI inputs (default: a fresh temp dir)")
    parser.add_argument("--seed", type=int, default=20240601)
    args = parser.parse_args(argv)

    lib_mb = args.mb or (0.1 if args.quick else 5.0)
    # 20 MB: the CLI's serial start (import, table load) is then a few percent of a run.
    cli_mb = args.cli_mb or (0.3 if args.quick else 20.0)
    rss_mb = args.rss_mb or (3.0 if args.quick else 200.0)
    repeat = 1 if args.quick else args.repeat
    cli_repeat = args.cli_repeat or (1 if args.quick else args.repeat)
    startup_runs = 3 if args.quick else args.startup_runs
    density_docs = 10 if args.quick else 100

    results: dict[str, object] = {
        "machine": machine(),
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
    }
    print(json.dumps(results["machine"]), flush=True)

    def log(message: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)

    if "library" not in args.skip:
        documents = {
            kind: list(make_inputs.documents(kind, int(lib_mb * 1e6), args.seed))
            for kind in make_inputs.KINDS
        }
        prepare(textrepair.Options())  # every table loaded before timing (once per process)
        textrepair.clean(SPUN_SENTENCE)
        library: dict[str, object] = {}
        for kind, docs in documents.items():
            log(f"library, {kind}: {len(docs)} documents")
            extra: dict[str, Callable[[str], object]] = {
                "clean": textrepair.clean,
                "clean(unspin=False)": lambda d: textrepair.clean(d, unspin=False),
            }
            library[kind] = library_throughput(docs, repeat, extra)
            log(json.dumps(library[kind]))
        seed_text = (ROOT / "corpus/spun/ft-2021-02-26-syria-strikes.spun.txt").read_text("utf-8")
        library["spin_density"] = {
            "seed_article": spin_density([seed_text]),
            "generated_spun": spin_density(documents["spun"][:density_docs]),
        }
        log(f"spin density: {library['spin_density']}")
        results["library"] = library

    if args.profile:
        docs = list(make_inputs.documents("spun", int(args.profile_mb * 1e6), args.seed))
        log(f"profiling clean() on {len(docs)} spun documents")
        report = profile_clean(docs, dump=args.profile + ".prof")
        Path(args.profile).write_text(report, encoding="utf-8")
        results["profile"] = args.profile
        print(report, flush=True)

    if "startup" not in args.skip:
        log("start-up")
        results["startup"] = startup(startup_runs)
        log(json.dumps(results["startup"]))

    need_cli = "cli" not in args.skip or "rss" not in args.skip
    has_jobs = cli_has_jobs() if need_cli else None
    if need_cli:
        results["cli_has_jobs"] = has_jobs
        if has_jobs is None:
            log("the CLI does not run (python -m textrepair --help failed); CLI parts skipped")
        elif not has_jobs:
            log("the CLI has no --jobs option yet: --jobs 2 is not measured")
    workdir = Path(args.tmpdir or tempfile.mkdtemp(prefix="textrepair-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        if "cli" not in args.skip and has_jobs is not None:
            cli: dict[str, object] = {}
            for kind in ("clean", "spun"):
                path = workdir / f"{kind}.txt"
                size = write_input(path, kind, int(cli_mb * 1e6), args.seed)
                log(f"CLI, {kind}: {mb(size):.1f} MB")
                cli[kind] = cli_throughput(path, size, (1, 2), cli_repeat, bool(has_jobs), workdir)
                log(json.dumps(cli[kind]))
            results["cli"] = cli
        if "rss" not in args.skip and has_jobs is not None:
            path = workdir / f"rss-{args.rss_kind}.txt"
            size = write_input(path, args.rss_kind, int(rss_mb * 1e6), args.seed + 1)
            rss: dict[str, object] = {}
            for jobs in (1, 2) if has_jobs else (1,):
                log(f"CLI peak RSS, --jobs {jobs}: {mb(size):.0f} MB of {args.rss_kind}")
                arguments = ["-o", str(workdir / "out.txt"), str(path)]
                if has_jobs:
                    arguments = ["--jobs", str(jobs), *arguments]
                row = run_cli(arguments, measure_rss=True, timeout=args.rss_timeout)
                row["bytes"] = size
                row["output_bytes"] = (workdir / "out.txt").stat().st_size
                rss[f"{args.rss_kind}, --jobs {jobs}"] = row
                log(json.dumps(row))
            results["rss"] = rss
    finally:
        if not args.tmpdir:
            shutil.rmtree(workdir, ignore_errors=True)

    results["machine_after"] = {"loadavg": os.getloadavg()}
    table = summary(results)
    print(table)
    results["table"] = table
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
