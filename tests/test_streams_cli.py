"""The command line end to end: terminals, outputs that are inputs, damaged .gz, signals,
full disks, closed streams, bad lexicons. Each failure: one line on stderr, no traceback,
the documented exit status."""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import pty
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

SRC = Path(__file__).resolve().parent.parent / "src"
ENV = {**os.environ, "PYTHONPATH": str(SRC)}
COMMAND = [sys.executable, "-m", "textrepair"]
# Every stage off: the output is the input, byte for byte, so it can be compared with
# what `gzip -dc` recovers.
NO_STAGES = ["--no-encoding", "--no-normalise", "--no-glue", "--no-unspin"]


def run(*args: Any, **kwargs: Any) -> subprocess.CompletedProcess[bytes]:
    if "stdout" not in kwargs and "stderr" not in kwargs:
        kwargs["capture_output"] = True
    return subprocess.run([*COMMAND, *map(str, args)], env=ENV, timeout=120, **kwargs)


def prose(size: int, seed: int = 0) -> bytes:
    """Paragraphs of damaged text, about `size` bytes, compressing as prose does."""
    rng = random.Random(seed)
    words = ["harbour", "CafÃ©", "&amp;", "teams", "said", "the", "of", "quick", "naïve"]
    words += ["".join(rng.choice("abcdefgh") for _ in range(rng.randint(2, 8))) for _ in range(300)]
    parts, total = [], 0
    while total < size:
        length = rng.randint(5, 60)
        paragraph = (" ".join(rng.choice(words) for _ in range(length)) + "\n\n").encode()
        parts.append(paragraph)
        total += len(paragraph)
    return b"".join(parts)


def one_message(done: subprocess.CompletedProcess[bytes], name: object, status: int = 1) -> str:
    """Assert the run failed as documented: `status`, one line naming `name`, no traceback."""
    err = done.stderr.decode(errors="replace")
    assert done.returncode == status, err
    assert "Traceback" not in err and "Exception ignored" not in err, err
    assert err.count("\n") == 1 and err.startswith(f"textrepair: {name}:"), err
    return err


# --------------------------------------------------------------------------- terminal


@pytest.mark.parametrize("mode", ["text", "--jsonl"])
def test_two_workers_under_a_terminal_write_every_byte(tmp_path: Path, mode: str) -> None:
    """The progress bar on a pseudo-terminal must not cost a byte (it once killed the run)."""
    source = tmp_path / "big.txt"
    data = prose(1_500_000)
    if mode == "--jsonl":
        lines = data.decode().split("\n\n")
        data = "".join(json.dumps({"text": line}) + "\n" for line in lines).encode()
    source.write_bytes(data)
    flags = ["--no-glue", "--no-unspin", *([mode] if mode == "--jsonl" else [])]
    expected = run(*flags, "-j", "1", source).stdout
    out = tmp_path / "out.txt"
    master, slave = pty.openpty()
    process = subprocess.Popen(
        [*COMMAND, *flags, "-j", "2", "-o", str(out), str(source)],
        env=ENV,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=slave,
    )
    os.close(slave)
    terminal = b""
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: every writer of the terminal has gone
            break
        if not data:
            break
        terminal += data
    os.close(master)
    assert process.wait(timeout=120) == 0, terminal.decode(errors="replace")
    assert b"Traceback" not in terminal
    assert b"textrepair" in terminal  # the progress bar was drawn on the terminal
    assert out.read_bytes() == expected and len(expected) > 1_400_000


# --------------------------------------------------------------------------- outputs


def test_explain_onto_an_input_is_refused(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"precious &amp; text\n")
    one_message(run("--explain", victim, victim), victim, status=2)
    assert victim.read_bytes() == b"precious &amp; text\n"


def test_output_redirected_from_stdin_is_refused(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"precious\n")
    with victim.open("rb") as stdin:
        one_message(run("-o", victim, "-", stdin=stdin), victim, status=2)
    assert victim.read_bytes() == b"precious\n"


def test_stdout_appended_to_an_input_is_refused(tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"precious\n")
    with victim.open("ab") as stdout:
        done = run(victim, stdout=stdout, stderr=subprocess.PIPE)
    one_message(done, "<stdout>", status=2)
    assert victim.read_bytes() == b"precious\n"


def test_explain_and_output_must_differ_and_the_undo_log_is_an_input(tmp_path: Path) -> None:
    source, target = tmp_path / "in.txt", tmp_path / "out.txt"
    source.write_bytes(b"text\n")
    target.write_bytes(b"old\n")
    one_message(run("-o", target, "--explain", target, source), target, status=2)
    one_message(run("--undo", target, source, "-o", target), target, status=2)
    assert target.read_bytes() == b"old\n"


# --------------------------------------------------------------------------- damaged gzip


@pytest.mark.skipif(shutil.which("gzip") is None, reason="no gzip command")
@pytest.mark.parametrize("mode", ["--jsonl", "text"])
def test_truncated_gzip_gives_what_gzip_dc_gives_then_the_next_input(
    tmp_path: Path, mode: str
) -> None:
    broken, after = tmp_path / "broken.gz", tmp_path / "after.txt"
    broken.write_bytes(gzip.compress(prose(400_000))[:60_000])
    after.write_bytes(b"the next input\n")
    recovered = subprocess.run(["gzip", "-dc", str(broken)], capture_output=True).stdout
    assert len(recovered) > 100_000
    flags = [*NO_STAGES, "--jsonl"] if mode == "--jsonl" else NO_STAGES
    done = run(*flags, broken, after)
    assert done.returncode == 1
    assert done.stdout == recovered + b"the next input\n"
    assert f"textrepair: {broken}: compressed file ended" in done.stderr.decode()


def test_corrupt_gzip_header_does_not_stop_the_next_inputs(tmp_path: Path) -> None:
    broken, after = tmp_path / "bad.gz", tmp_path / "a1.txt"
    broken.write_bytes(b"\x1f\x8b\x09\x00" + b"\x00" * 40)
    after.write_bytes(b"a1\n")
    done = run(broken, after)
    assert done.stdout == b"a1\n"
    one_message(done, broken)


# --------------------------------------------------------------------------- signals


def _children(pid: int) -> list[int]:
    try:
        listed = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(child) for child in listed.split()]


@pytest.mark.skipif(
    not Path(f"/proc/{os.getpid()}/task/{os.getpid()}/children").exists(),
    reason="needs /proc/PID/task/PID/children (Linux)",
)
def test_sigterm_ends_every_worker_within_a_second() -> None:
    # Input that never ends (a writer keeps the pipe full): the workers are still busy
    # when the signal comes, however fast the stages get.
    process = subprocess.Popen(
        [*COMMAND, "-j", "2"],
        env=ENV,
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    chunk = prose(1_000_000)

    def feed() -> None:
        try:
            while True:
                process.stdin.write(chunk)  # type: ignore[union-attr]
        except (BrokenPipeError, ValueError, OSError):
            pass

    feeder = threading.Thread(target=feed, daemon=True)
    feeder.start()
    started = time.monotonic()
    while len(_children(process.pid)) < 2 and time.monotonic() - started < 60:
        time.sleep(0.05)
    workers = _children(process.pid)
    assert len(workers) >= 2
    time.sleep(0.5)  # the workers are busy now
    signalled = time.monotonic()
    process.send_signal(signal.SIGTERM)
    err = process.stderr.read()  # type: ignore[union-attr]  # EOF: every holder has gone
    process.stderr.close()  # type: ignore[union-attr]
    elapsed = time.monotonic() - signalled
    assert process.wait() == 143 and b"Traceback" not in err
    assert elapsed < 1.0, f"stderr stayed open {elapsed:.2f} s"
    feeder.join()
    with contextlib.suppress(BrokenPipeError):
        process.stdin.close()  # type: ignore[union-attr]


# --------------------------------------------------------------------------- full disk, closed


needs_dev_full = pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full")


@needs_dev_full
@pytest.mark.parametrize(
    "arguments",
    [[], ["score"], ["diff"], ["--jsonl"]],
    ids=["filter", "score", "diff", "jsonl"],
)
def test_stdout_on_a_full_disk(tmp_path: Path, arguments: list[str]) -> None:
    source = tmp_path / "in.txt"
    source.write_text('{"text": "CafÃ©"}\n', encoding="utf-8")
    with open("/dev/full", "wb") as full:
        done = run(*arguments, source, stdout=full, stderr=subprocess.PIPE)
    assert "No space left on device" in one_message(done, "<stdout>")


@needs_dev_full
@pytest.mark.parametrize("flag", ["-o", "--explain"])
def test_output_files_on_a_full_disk(tmp_path: Path, flag: str) -> None:
    source = tmp_path / "in.txt"
    source.write_text("CafÃ© &amp;\n", encoding="utf-8")
    done = run(flag, "/dev/full", source, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    one_message(done, "/dev/full")


@needs_dev_full
def test_learn_onto_a_full_disk(tmp_path: Path) -> None:
    original, spun = tmp_path / "a.txt", tmp_path / "b.txt"
    original.write_text("the big harbour was busy today\n")
    spun.write_text("the large harbour was busy today\n")
    one_message(run("learn", original, spun, "-o", "/dev/full"), "/dev/full")


@pytest.mark.parametrize(
    ("redirect", "name"), [("<&-", "<stdin>"), (">&-", "<stdout>")], ids=["stdin", "stdout"]
)
def test_closed_standard_streams(tmp_path: Path, redirect: str, name: str) -> None:
    source = tmp_path / "in.txt"
    source.write_bytes(b"text\n")
    target = "" if redirect == "<&-" else str(source)
    shell = f"{' '.join(COMMAND)} {target} {redirect}"
    done = subprocess.run(shell, shell=True, env=ENV, capture_output=True, timeout=60)
    one_message(done, name)


# --------------------------------------------------------------------------- lexicons, help


@pytest.mark.parametrize(
    "row",
    [b"onlyone\n", b"spun\t\n", b"\xff\xfe bad\tbytes\n"],
    ids=["one-field", "empty-original", "not-utf-8"],
)
def test_a_bad_lexicon_is_one_message_naming_the_file(tmp_path: Path, row: bytes) -> None:
    lexicon = tmp_path / "mine.tsv"
    lexicon.write_bytes(row)
    done = run("--lexicon", lexicon, input=b"text\n")
    assert done.stdout == b""
    one_message(done, lexicon)


def test_help_lists_every_exit_status() -> None:
    done = run("--help")
    assert done.returncode == 0
    for status in (b"0 all input", b"1 some input", b"2 usage", b"130", b"141", b"143"):
        assert status in done.stdout


def test_a_bad_lexicon_leaves_the_output_file_alone(tmp_path: Path) -> None:
    lexicon, target = tmp_path / "mine.tsv", tmp_path / "out.txt"
    lexicon.write_bytes(b"onlyone\n")
    target.write_bytes(b"yesterday's output\n")
    one_message(run("--lexicon", lexicon, "-o", target, input=b"text\n"), lexicon)
    assert target.read_bytes() == b"yesterday's output\n"


def test_a_reader_that_goes_away_never_leaves_the_command_hanging(tmp_path: Path) -> None:
    """Two workers, stdout closed after 10 bytes, a few times: the pool must always wind
    down (stopping workers mid-result once hung it in about one run in eight)."""
    source = tmp_path / "big.txt"
    source.write_bytes(b"a plain line of text\n\n" * 300_000)
    for _ in range(3):
        process = subprocess.Popen(
            [*COMMAND, "-j", "2", str(source)],
            env=ENV,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        assert process.stdout is not None and process.stderr is not None
        process.stdout.read(10)
        process.stdout.close()
        assert process.wait(timeout=60) == 141
        assert process.stderr.read() == b""
        process.stderr.close()
