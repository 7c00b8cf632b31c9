"""The `textrepair` command line: a streaming filter that never loses a byte.

Most tests run `main([...])` in-process with stdin/stdout replaced by byte buffers; a
few run `python -m textrepair` for real. Exact-output checks use only damage the
encoding and normalise stages repair (mojibake, entities, line endings, odd spaces).
"""

from __future__ import annotations

import gzip
import io
import json
import os
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import textrepair
from textrepair import cli
from textrepair.pipeline import prepare
from textrepair.streams import jsonl, reading, units
from textrepair.streams import log as explain_log

SRC = Path(__file__).resolve().parent.parent / "src"

# Damage with a known, exact repair, in several paragraphs, with CRLF line endings.
DAMAGED = (
    b"Caf\xc3\x83\xc2\xa9 &amp; bar\r\nsame paragraph\r\n\r\n"
    b"second\xc2\xa0paragraph, caf\xe9\r\n\r\n\r\n"
    b"third &quot;one&quot;\n\n"
)
REPAIRED = 'Café & bar\nsame paragraph\n\nsecond paragraph, café\n\n\nthird "one"\n\n'


class Result:
    def __init__(self, status: int, out: bytes, err: str) -> None:
        self.status, self.out, self.err = status, out, err

    @property
    def text(self) -> str:
        return self.out.decode("utf-8")


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Any:
    """Run `main(args)` with `stdin` bytes; return the status, stdout bytes, stderr."""

    def run_main(*args: str, stdin: bytes = b"") -> Result:
        capsys.readouterr()
        out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"))
            patch.setattr(sys, "stdout", out)
            status = cli.main(list(args))
        out.flush()
        return Result(status, out.buffer.getvalue(), capsys.readouterr().err)  # type: ignore[attr-defined]

    return run_main


@pytest.fixture
def small_units(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tiny units and reads, so short inputs exercise every cutting rule."""
    monkeypatch.setattr(units, "UNIT_CHARS", 40)
    monkeypatch.setattr(units, "MAX_UNIT_CHARS", 120)
    monkeypatch.setattr(reading, "READ_SIZE", 7)


def read_log(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


# --------------------------------------------------------------------------- basics


def test_stdin_to_stdout(run: Any) -> None:
    result = run(stdin=DAMAGED)
    assert (result.status, result.text) == (0, REPAIRED)


def test_invalid_bytes_are_read_as_windows_1252_with_one_warning(run: Any) -> None:
    result = run(stdin=b"caf\xe9 \xff ok\n")
    assert (result.status, result.text) == (0, "café ÿ ok\n")
    assert (
        result.err
        == "textrepair: <stdin>: warning: 2 bytes not valid UTF-8, read as Windows-1252\n"
    )


def test_warning_is_once_per_input_not_per_unit(
    run: Any, small_units: None, tmp_path: Path
) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes(b"caf\xe9 one\n\n" * 30)
    result = run(str(path))
    assert result.status == 0
    assert result.text == "café one\n\n" * 30
    assert len(result.err.splitlines()) == 1 and "30 bytes not valid" in result.err


def test_files_in_order_and_dash_is_stdin(run: Any, tmp_path: Path) -> None:
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    first.write_bytes(b"one &amp; \n")
    second.write_bytes(b"three\r\n")
    result = run(str(first), "-", str(second), stdin=b"two\xc2\xa0!\n")
    assert (result.status, result.text, result.err) == (0, "one & \ntwo !\nthree\n", "")


def test_output_file(run: Any, tmp_path: Path) -> None:
    source, target = tmp_path / "in.txt", tmp_path / "out.txt"
    source.write_bytes(DAMAGED)
    result = run(str(source), "-o", str(target))
    assert (result.status, result.out) == (0, b"")
    assert target.read_text(encoding="utf-8") == REPAIRED


def test_output_must_not_overwrite_an_input(run: Any, tmp_path: Path) -> None:
    source = tmp_path / "in.txt"
    source.write_bytes(DAMAGED)
    result = run(str(source), "-o", str(source))
    assert result.status == 2 and "also an input" in result.err
    assert source.read_bytes() == DAMAGED


def test_gzip_is_read_by_its_magic_bytes(run: Any, tmp_path: Path) -> None:
    named, unnamed = tmp_path / "in.txt.gz", tmp_path / "in.data"
    named.write_bytes(gzip.compress(DAMAGED))
    unnamed.write_bytes(gzip.compress(DAMAGED))
    assert run(str(named)).text == REPAIRED
    assert run(str(unnamed)).text == REPAIRED
    assert run(stdin=gzip.compress(DAMAGED)).text == REPAIRED


def test_truncated_gzip_is_an_error_but_the_rest_is_processed(run: Any, tmp_path: Path) -> None:
    broken, good = tmp_path / "broken.gz", tmp_path / "good.txt"
    broken.write_bytes(gzip.compress(b"x" * 10_000)[:-20])
    good.write_bytes(b"fine\n")
    result = run(str(broken), str(good))
    assert result.status == 1
    assert result.text.endswith("fine\n")
    assert result.err.startswith(f"textrepair: {broken}: ")


def test_utf16_with_bom(run: Any) -> None:
    for encoding in ("utf-16-le", "utf-16-be"):
        data = "\ufeffCafÃ© &amp; naïve\r\n\r\nnext\n".encode(encoding)
        result = run(stdin=data)
        assert (result.status, result.text, result.err) == (0, "Café & naïve\n\nnext\n", "")


def test_missing_file_is_reported_and_the_others_processed(run: Any, tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_bytes(b"ok &amp; fine\n")
    missing = tmp_path / "missing.txt"
    result = run(str(missing), str(good))
    assert result.status == 1
    assert result.text == "ok & fine\n"
    assert result.err == f"textrepair: {missing}: No such file or directory\n"


def test_usage_errors_exit_2(run: Any) -> None:
    assert run("--no-such-flag").status == 2
    assert run("--min-confidence", "1.5").status == 2
    assert run("--jobs", "-1").status == 2
    assert run("--strict").status == 2  # only with --jsonl
    assert run("--lexicon", "/nonexistent/lexicon.tsv").status == 2


def test_help_and_version(run: Any) -> None:
    help_ = run("--help")
    assert help_.status == 0 and "examples:" in help_.text and "--jsonl" in help_.text
    version = run("--version")
    assert (version.status, version.text) == (0, f"textrepair {textrepair.__version__}\n")


def test_stage_switches_reach_the_library(run: Any) -> None:
    assert run("--no-encoding", stdin=b"&amp;\r\n").text == "&amp;\n"
    assert run("--no-normalise", stdin=b"&amp;\r\n").text == "&\r\n"
    quotes = "\u201cYes\u201d \u2014 it".encode()
    assert run(stdin=quotes).out == quotes
    assert run("--fold-quotes", "--fold-dashes", stdin=quotes).text == '"Yes" - it'
    args = cli.build_parser().parse_args(
        ["--no-glue", "--no-unspin", "--min-confidence", "0.8", "--lexicon", "x.tsv"]
    )
    assert cli.options_from(args) == textrepair.Options(
        split_glued=False, unspin=False, min_confidence=0.8, lexicon="x.tsv"
    )


def test_stages_list_and_new_option_flags(run: Any) -> None:
    args = cli.build_parser().parse_args(
        ["--stages", "encoding,unspin", "--no-unspin", "--thesaurus", "--time-budget", "2.5"]
    )
    assert cli.options_from(args) == textrepair.Options(
        normalise=False, split_glued=False, unspin=False, thesaurus=True, time_budget=2.5
    )
    assert run("--stages", "normalise", stdin=b"&amp;\r\n").text == "&amp;\n"
    assert run("--stages", "", stdin=b"&amp;\r\n").out == b"&amp;\r\n"
    for bad in (["--stages", "glue,spelling"], ["--time-budget", "-1"], ["--time-budget", "nan"]):
        result = run(*bad, stdin=b"x")
        assert result.status == 2 and "Traceback" not in result.err, bad


def test_report_writes_one_page_with_every_edit(run: Any, tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_bytes("Caf\u00c3\u00a9 &amp; bar".encode())
    html = tmp_path / "report.html"
    assert run("report", str(page), "-o", str(html)).status == 0
    text = html.read_text(encoding="utf-8")
    assert text.count("<mark") == len(textrepair.repair(page.read_text()).edits) == 2
    assert run("report", str(page), "-o", str(page)).status == 2
    assert page.read_bytes() == "Caf\u00c3\u00a9 &amp; bar".encode()
    missing = run("report", str(tmp_path / "missing.txt"), "-o", str(html))
    assert missing.status == 1 and "missing.txt" in missing.err
    assert html.read_text(encoding="utf-8") == text  # a failed run leaves the page alone


def test_subcommand_dispatch(monkeypatch: pytest.MonkeyPatch, run: Any) -> None:
    seen: list[list[str]] = []
    monkeypatch.setitem(cli.SUBCOMMANDS, "score", lambda argv: seen.append(argv) or 7)
    assert cli.main(["score", "a", "--b"]) == 7
    assert seen == [["a", "--b"]]


def test_keyboard_interrupt_exits_130(monkeypatch: pytest.MonkeyPatch, run: Any) -> None:
    def interrupted(*args: Any, **kwargs: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(textrepair, "repair", interrupted)
    result = run(stdin=b"text\n")
    assert (result.status, result.err) == (130, "")


# --------------------------------------------------------------------------- units


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"\n",
        b"\n\n\n",
        b"no final newline",
        b"a\n\n\n\nb\n \n\t\nc\n\n",
        b"\n\nstarts with blank lines\n\n\n",
        b"p one\n\n" * 40,
        b"one long paragraph line\n" * 30,  # cut at line breaks
        b"word " * 100 + b"\n",  # a long line: cut at a space
        b"x" * 500,  # no space at all: cut hard
    ],
)
def test_paragraphs_and_blank_line_runs_are_kept_exactly(
    run: Any, small_units: None, data: bytes
) -> None:
    result = run(stdin=data)
    assert (result.status, result.out) == (0, data)


def test_units_cut_at_paragraphs_within_unit_size(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(units, "UNIT_CHARS", 40)
    monkeypatch.setattr(units, "MAX_UNIT_CHARS", 120)
    data = b"".join(b"paragraph %02d\n\n" % n for n in range(20))
    cut = list(units.split_units(iter([data]), b""))
    assert all(len(text) <= 40 for text, _ in cut)
    assert all(separator == b"\n\n" for _, separator in cut)
    assert cut[0][0] == b"paragraph 00\n\nparagraph 01\n\nparagraph 02"


def test_long_lines_are_cut_at_whitespace_and_never_inside_a_character(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(units, "UNIT_CHARS", 40)
    monkeypatch.setattr(units, "MAX_UNIT_CHARS", 120)
    spaced = b"word " * 100
    assert all(len(text) <= 120 for text, _ in units.split_units(iter([spaced]), b""))
    solid = "é".encode() * 200
    pieces = [text for text, _ in units.split_units(iter([solid]), b"")]
    assert all(piece.decode("utf-8") for piece in pieces)
    assert b"".join(pieces) == solid


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [b"a", b"word ", b"\n", b"\r\n", b" ", b"\t", b"\xc3\xa9", b"\xe9", b"x" * 30]
        )
    ),
    st.integers(1, 50),
)
def test_units_join_back_to_the_input(pieces: list[bytes], read_size: int) -> None:
    saved = units.UNIT_CHARS, units.MAX_UNIT_CHARS
    units.UNIT_CHARS, units.MAX_UNIT_CHARS = 20, 60
    try:
        data = b"".join(pieces)
        chunks = (data[i : i + read_size] for i in range(0, len(data), read_size))
        cut = list(units.split_units(chunks, b""))
        assert b"".join(text + separator for text, separator in cut) == data
        assert all(len(text) <= 60 for text, _ in cut)
        text_units = list(units.split_units(iter([data.decode("latin-1")]), ""))
        assert "".join(t + s for t, s in text_units) == data.decode("latin-1")
    finally:
        units.UNIT_CHARS, units.MAX_UNIT_CHARS = saved


def test_units_give_the_same_text_as_one_repair(run: Any, small_units: None) -> None:
    data = DAMAGED * 5
    assert run(stdin=data).text == textrepair.clean(data) == REPAIRED * 5


def test_jobs_2_gives_the_same_output_as_jobs_1(
    run: Any, small_units: None, tmp_path: Path
) -> None:
    data = b"".join(b"para %d caf\xc3\x83\xc2\xa9 &amp; x\xc2\xa0y\r\n\r\n" % n for n in range(60))
    log1, log2 = tmp_path / "1.jsonl", tmp_path / "2.jsonl"
    one = run("--jobs", "1", "--explain", str(log1), stdin=data)
    two = run("--jobs", "2", "--explain", str(log2), stdin=data)
    assert one.status == two.status == 0
    assert one.out == two.out == textrepair.clean(data).encode()
    assert read_log(log1) == read_log(log2)
    assert read_log(log1)[-1]["units"] > 10


def test_jobs_default_to_all_cores_only_for_large_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(os, "cpu_count", lambda: 6)
    small, large = tmp_path / "small.txt", tmp_path / "large.txt"
    small.write_bytes(b"x" * 100)
    large.write_bytes(b"x" * cli.AUTO_JOBS_BYTES)
    assert cli.worker_count(None, [str(small)]) == 1
    assert cli.worker_count(None, [str(large)]) == 6
    assert cli.worker_count(None, [str(small)] * (cli.AUTO_JOBS_BYTES // 100 + 1)) == 6
    assert cli.worker_count(None, ["-", str(large)]) == 1  # a pipe's size is unknown
    assert cli.worker_count(None, [str(tmp_path / "missing.txt")]) == 1
    assert cli.worker_count(0, ["-"]) == 6
    assert cli.worker_count(3, [str(small)]) == 3


# --------------------------------------------------------------------------- explain


REBUILD_INPUT = (
    b"\xef\xbb\xbfCaf\xc3\x83\xc2\xa9 &amp; bar &eacute;t\xc3\xa9\r\n"
    b"no\xc2\xa0break\xc2\xa0space, caf\xe9 \xff\x81 \xfe\xff\r\n\r\n"
    b"\xff\xfestray UTF-16 mark, &lt;b&gt; and \x93quotes\x94\n\n\n"
    b"mid-stream\xef\xbb\xbfmark x\xe2\x80\x8by " + b"long paragraph words " * 8 + b"\r\n\r\n"
    b"last line without newline \xc3"
)


def test_explain_rebuilds_the_exact_input_bytes(
    run: Any, small_units: None, tmp_path: Path
) -> None:
    log = tmp_path / "edits.jsonl"
    result = run("--explain", str(log), stdin=REBUILD_INPUT)
    assert result.status == 0
    records = read_log(log)
    assert {"decode", "encoding", "normalise", "end"} <= {r["stage"] for r in records}
    assert records[-1]["units"] > 3
    assert explain_log.rebuild_bytes(result.text, records) == REBUILD_INPUT
    edit = next(r for r in records if r["stage"] == "encoding")
    assert set(edit) == {"input", "unit", "offset", "start", "end", "before", "after"} | {
        "stage",
        "reason",
        "confidence",
    }
    decode = next(r for r in records if r["stage"] == "decode" and r["text"])
    # Nearby stray bytes share one record, with the valid bytes between them.
    assert (decode["bytes"], decode["text"]) == ("e920ff8120feff", "é ÿ\x81 þÿ")


def test_explain_offsets_are_positions_in_the_whole_decoded_input(
    run: Any, small_units: None, tmp_path: Path
) -> None:
    log = tmp_path / "edits.jsonl"
    data = b"".join(b"paragraph %02d &amp;\n\n" % n for n in range(10))
    run("--explain", str(log), stdin=data)
    decoded = data.decode()
    edits = [r for r in read_log(log) if r["stage"] == "encoding"]
    assert len(edits) == 10 and len({r["unit"] for r in edits}) > 1
    for record in edits:
        assert decoded[record["start"] : record["end"]] == record["before"] == "&amp;"
        assert record["offset"] <= record["start"]


def test_undo_command_rebuilds_every_input(run: Any, small_units: None, tmp_path: Path) -> None:
    first, second, log = tmp_path / "a.txt", tmp_path / "b.txt", tmp_path / "log.jsonl"
    first.write_bytes(REBUILD_INPUT)
    second.write_bytes(b"\xff\xfe" + "Caf\u00c3\u00a9\r\n\r\nx".encode("utf-16-le") + b"\x00")
    repaired = run(str(first), str(second), "--explain", str(log))
    assert repaired.status == 0
    (tmp_path / "out.txt").write_bytes(repaired.out)
    undone = run("--undo", str(log), str(tmp_path / "out.txt"))
    assert (undone.status, undone.out) == (0, REBUILD_INPUT + second.read_bytes())


def test_explain_to_stderr(run: Any) -> None:
    result = run("--explain", "-", stdin=b"a &amp; b\n")
    records = [json.loads(line) for line in result.err.splitlines()]
    assert [r["stage"] for r in records] == ["encoding", "end"]
    assert result.text == "a & b\n"


# --------------------------------------------------------------------------- JSON lines


def test_jsonl_repairs_one_field_and_keeps_the_others(run: Any) -> None:
    lines = [
        {"id": 1, "text": "CafÃ© &amp; co", "title": "CafÃ©", "n": 1.5, "tags": ["&amp;"]},
        {"body": "x", "text": "plain", "z": None},
    ]
    data = "".join(json.dumps(line) + "\n" for line in lines).encode()
    result = run("--jsonl", stdin=data + b"\n")
    assert result.status == 0
    out = result.text.split("\n")
    assert json.loads(out[0]) == {**lines[0], "text": "Café & co"}
    assert list(json.loads(out[0])) == list(lines[0])  # key order kept
    assert json.loads(out[1]) == lines[1]
    assert out[2:] == ["", ""]  # the blank line passed through


def test_jsonl_field_option_and_non_ascii_output(run: Any) -> None:
    data = '{"body": "naÃ¯ve", "text": "Ã©"}\n'.encode()
    result = run("--jsonl", "--field", "body", stdin=data)
    assert result.text == '{"body": "naïve", "text": "Ã©"}\n'


def test_jsonl_malformed_lines_pass_through_with_warnings(run: Any) -> None:
    data = b'{"text": "&amp;"}\nnot json\n[1, 2]\n{"other": 1}\n{"text": 5}\n{"text": "ok"}\n'
    result = run("--jsonl", stdin=data)
    assert result.status == 1
    assert result.out.split(b"\n") == [
        b'{"text": "&"}',
        b"not json",
        b"[1, 2]",
        b'{"other": 1}',
        b'{"text": 5}',
        b'{"text": "ok"}',
        b"",
    ]
    assert [line.split(":")[2].strip() for line in result.err.splitlines()] == [
        "line 2",
        "line 3",
        "line 4",
        "line 5",
    ]


def test_jsonl_strict_stops_at_the_first_malformed_line(run: Any) -> None:
    data = b'{"text": "&amp;"}\n{"text": "a"}\nbroken\n{"text": "after"}\n'
    result = run("--jsonl", "--strict", stdin=data)
    assert result.status == 1
    assert result.out == b'{"text": "&"}\n{"text": "a"}\n'
    assert result.err.startswith("textrepair: <stdin>: line 3: not JSON")


def test_jsonl_line_numbers_across_batches(monkeypatch: pytest.MonkeyPatch, run: Any) -> None:
    monkeypatch.setattr(jsonl, "JSONL_BATCH_BYTES", 30)
    data = b'{"text": "fine"}\n' * 9 + b"oops\n" + b'{"text": "fine"}\n' * 3
    result = run("--jsonl", "--jobs", "2", stdin=data)
    assert result.status == 1
    assert "line 10:" in result.err
    assert result.out == b'{"text": "fine"}\n' * 9 + b"oops\n" + b'{"text": "fine"}\n' * 3


# --------------------------------------------------------------------------- streaming


class GeneratedInput(io.RawIOBase):
    """`size` bytes of paragraphs, made as they are read, never held in memory."""

    def __init__(self, size: int) -> None:
        self.left = size
        damaged = b"Caf\xc3\x83\xc2\xa9 &amp; co.\r\n\r\n"
        self.block = damaged + (b"A plain sentence about nothing much. " * 12 + b"\n\n") * 50
        self.position = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        size = min(len(buffer), self.left, len(self.block) - self.position)
        buffer[:size] = self.block[self.position : self.position + size]
        self.position = (self.position + size) % len(self.block)
        self.left -= size
        return size


class CountingOutput(io.RawIOBase):
    """Counts what is written, keeping none of it."""

    def __init__(self) -> None:
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self.size += len(data)
        return len(data)


def _peak_memory_of_main(monkeypatch: pytest.MonkeyPatch, size: int, *args: str) -> tuple[int, int]:
    output = CountingOutput()
    monkeypatch.setattr(sys, "stdin", io.BufferedReader(GeneratedInput(size)))
    monkeypatch.setattr(sys, "stdout", output)
    prepare(textrepair.Options())  # the tables are loaded once, not part of the peak
    tracemalloc.start()
    try:
        assert cli.main(list(args)) == 0
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return peak, output.size


def test_memory_does_not_grow_with_input(monkeypatch: pytest.MonkeyPatch) -> None:
    small_peak, small_out = _peak_memory_of_main(monkeypatch, 400_000)
    large_peak, large_out = _peak_memory_of_main(monkeypatch, 2_000_000)
    assert large_out > 1_900_000 and small_out > 300_000
    # A few units and read buffers (each at most MAX_UNIT_CHARS), whatever the input size.
    assert large_peak < small_peak + 2_000_000 < 12_000_000


@pytest.mark.parametrize("command", ["score", "diff"])
def test_score_and_diff_memory_does_not_grow_with_input(
    monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    small_peak, _ = _peak_memory_of_main(monkeypatch, 400_000, command)
    large_peak, large_out = _peak_memory_of_main(monkeypatch, 2_000_000, command)
    assert large_out > (1_900_000 if command == "diff" else 10)
    assert large_peak < small_peak + 2_000_000 < 12_000_000


@pytest.mark.slow
def test_rss_stays_bounded_on_50_mb(tmp_path: Path) -> None:
    """The real process, 50 MB through a pipe: its peak RSS must not follow the input."""
    source = tmp_path / "big.txt"
    generated = GeneratedInput(50_000_000)
    with source.open("wb") as handle:
        while chunk := generated.read(1 << 20):
            handle.write(chunk)
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    with source.open("rb") as stdin:
        process = subprocess.Popen(
            [sys.executable, "-m", "textrepair"], env=env, stdin=stdin, stdout=subprocess.DEVNULL
        )
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
    assert process.returncode == 0
    assert usage.ru_maxrss * 1024 < 150_000_000  # ru_maxrss is in KiB on Linux


# --------------------------------------------------------------------------- end to end


def _command(*args: str, **kwargs: Any) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    return subprocess.run(
        [sys.executable, "-m", "textrepair", *args],
        env=env,
        capture_output=True,
        timeout=120,
        **kwargs,
    )


def test_end_to_end_stdin_to_stdout() -> None:
    done = _command(input=b"caf\xe9 \xff ok\n")
    assert (done.returncode, done.stdout) == (0, "café ÿ ok\n".encode())
    assert b"2 bytes not valid UTF-8" in done.stderr


def test_end_to_end_files_output_and_exit_codes(tmp_path: Path) -> None:
    source, target = tmp_path / "in.txt", tmp_path / "out.txt"
    source.write_bytes(DAMAGED)
    done = _command(str(source), str(tmp_path / "missing.txt"), "-o", str(target))
    assert (done.returncode, done.stdout) == (1, b"")
    assert f"textrepair: {tmp_path / 'missing.txt'}: No such file" in done.stderr.decode()
    assert target.read_text(encoding="utf-8") == REPAIRED
    assert _command("--bogus").returncode == 2


def test_end_to_end_broken_pipe_is_quiet(tmp_path: Path) -> None:
    source = tmp_path / "big.txt"
    source.write_bytes(b"a plain line of text\n\n" * 300_000)
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    with subprocess.Popen(
        [sys.executable, "-m", "textrepair", str(source)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        process.stdout.read(100)
        process.stdout.close()
        started = time.monotonic()
        status = process.wait(timeout=60)
        error = process.stderr.read()
    assert time.monotonic() - started < 60
    assert status == cli.EXIT_BROKEN_PIPE
    assert error == b""


def test_jsonl_record_too_large_passes_through_unchanged(
    monkeypatch: pytest.MonkeyPatch, run: Any
) -> None:
    monkeypatch.setattr(jsonl, "MAX_RECORD_BYTES", 100)
    monkeypatch.setattr(reading, "READ_SIZE", 16)
    huge = b'{"text": "' + "CafÃ© &amp; ".encode() * 40 + b'"}\n'
    data = b'{"text": "&amp;"}\n' + huge + b'{"text": "&amp;"}\n'
    result = run("--jsonl", stdin=data)
    assert result.out == b'{"text": "&"}\n' + huge + b'{"text": "&"}\n'
    assert result.status == 1
    assert result.err == (
        "textrepair: <stdin>: line 2: longer than 100 bytes; passed through unchanged\n"
    )
    strict = run("--jsonl", "--strict", stdin=data)
    assert (strict.status, strict.out) == (1, b'{"text": "&"}\n')


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_failure_inside_the_repair_names_the_input(
    monkeypatch: pytest.MonkeyPatch, run: Any, tmp_path: Path, jobs: str
) -> None:
    def out_of_memory(*args: Any, **kwargs: Any) -> None:
        raise MemoryError

    monkeypatch.setattr(textrepair, "repair", out_of_memory)
    page = tmp_path / "page.txt"
    page.write_bytes(b"text\n")
    result = run("-j", jobs, str(page))
    assert (result.status, result.err) == (1, f"textrepair: {page}: out of memory\n")
