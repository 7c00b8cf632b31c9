"""The streaming layer, piece by piece, in process (no subprocess)."""

from __future__ import annotations

import gzip
import io
import json
import os
import random
import shutil
import subprocess
import sys
import zlib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import textrepair
from textrepair.streams import executor, jsonl, log, output, progress, reading, units
from textrepair.streams.errors import StreamError

_RANDOM = random.Random(0)
_WORDS = [
    "".join(_RANDOM.choice("abcdefghij") for _ in range(_RANDOM.randint(2, 9))) for _ in range(500)
]
# Text that compresses about as well as prose (3:1), so a cut .gz really loses text.
TEXT = b"".join(
    (" ".join(_RANDOM.choice(_WORDS) for _ in range(30)) + "\n\n").encode() for _ in range(3000)
)


def read_all(data: bytes) -> tuple[bytes, BaseException | None]:
    source = reading.Source("x", io.BytesIO(data), len(data))
    return b"".join(source.chunks()), source.error


def zlib_reference(data: bytes) -> bytes:
    """What a gzip stream still holds, decompressed a byte at a time (nothing held back)."""
    decompressor, parts = zlib.decompressobj(16 + zlib.MAX_WBITS), []
    for index in range(len(data)):
        try:
            parts.append(decompressor.decompress(data[index : index + 1]))
        except zlib.error:
            break
        if decompressor.eof:
            break
    return b"".join(parts)


# --------------------------------------------------------------------------- reading


def test_plain_bytes_pass_through_and_position_counts_file_bytes() -> None:
    source = reading.Source("x", io.BytesIO(TEXT), len(TEXT))
    assert b"".join(source.chunks()) == TEXT
    assert (source.position, source.error, source.compressed) == (len(TEXT), None, False)


def test_gzip_members_are_all_read_and_padding_ignored() -> None:
    data = gzip.compress(b"one\n") + gzip.compress(b"two\n") + b"\0" * 10
    assert read_all(data) == (b"one\ntwo\n", None)


@pytest.mark.parametrize("cut", [10, 1000, 30_000, -20, -4])
def test_truncated_gzip_yields_everything_before_the_cut(cut: int) -> None:
    data = gzip.compress(TEXT)[:cut]
    got, error = read_all(data)
    assert isinstance(error, EOFError)
    assert got == zlib_reference(data)
    if cut > 1000:
        assert len(got) > 2 * cut  # the text was really recovered, not just a header's worth


@pytest.mark.skipif(shutil.which("gzip") is None, reason="no gzip command")
@pytest.mark.parametrize("cut", [5000, 40_000, -9])
def test_truncated_gzip_gives_what_gzip_dc_gives(tmp_path: Path, cut: int) -> None:
    path = tmp_path / "cut.gz"
    path.write_bytes(gzip.compress(TEXT * 3)[:cut])
    expected = subprocess.run(["gzip", "-dc", str(path)], capture_output=True).stdout
    assert read_all(path.read_bytes())[0] == expected


def test_corrupt_gzip_keeps_what_came_before_the_damage() -> None:
    data = bytearray(gzip.compress(TEXT))
    data[len(data) // 2] ^= 0xFF
    got, error = read_all(bytes(data))
    assert isinstance(error, zlib.error)
    assert got == zlib_reference(bytes(data)) and len(got) > len(TEXT) // 4


@pytest.mark.skipif(shutil.which("gzip") is None, reason="no gzip command")
@pytest.mark.parametrize("where", [0.3, 0.5, 0.99])
def test_corrupt_gzip_gives_what_gzip_dc_gives(tmp_path: Path, where: float) -> None:
    data = bytearray(gzip.compress(TEXT))
    data[int(len(data) * where)] ^= 0x55
    path = tmp_path / "bad.gz"
    path.write_bytes(data)
    expected = subprocess.run(["gzip", "-dc", str(path)], capture_output=True).stdout
    assert read_all(bytes(data))[0] == expected


def test_bad_gzip_header_is_an_error_with_no_output() -> None:
    assert read_all(b"\x1f\x8b\x09\x00" + b"junk" * 10)[0] == b""
    assert read_all(b"\x1f\x8b\x09\x00" + b"junk")[1] is not None


def test_a_gzip_bomb_comes_out_in_bounded_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reading, "READ_SIZE", 4096)
    bomb = gzip.compress(b"\0" * 5_000_000)
    source = reading.Source("bomb", io.BytesIO(bomb), len(bomb))
    sizes = [len(chunk) for chunk in source.chunks()]
    assert sum(sizes) == 5_000_000 and max(sizes) <= 4096 and source.error is None


def test_open_source_reports_missing_files_and_closed_stdin(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    with pytest.raises(StreamError, match="No such file"):
        reading.open_source(str(tmp_path / "missing"))
    monkeypatch.setattr(sys, "stdin", None)
    with pytest.raises(StreamError, match="standard input is closed"):
        reading.open_source("-")


# --------------------------------------------------------------------------- units


def read_units(data: bytes, explain: bool = True) -> tuple[units.TextInput, list[units.Unit]]:
    state = units.TextInput(reading.Source("x", io.BytesIO(data), len(data)), explain=explain)
    return state, list(state.read())


@example("ab\n\n \n\nc\n", 5, 2)  # the window starts inside a break
@given(
    st.text(alphabet="ab \t\r\n", max_size=200),
    st.integers(min_value=0, max_value=200),
    st.integers(min_value=1, max_value=40),
)
def test_the_last_paragraph_break_is_the_one_a_scan_from_the_start_finds(
    text: str, limit: int, window: int
) -> None:
    for buffer, empty in ((text, ""), (bytearray(text.encode()), b"")):
        pattern = units._PARAGRAPH_BREAK[type(empty)]
        spacing = "\n\r \t" if isinstance(empty, str) else b"\n\r \t"
        expected = None
        for match in pattern.finditer(buffer):
            if match.start() > limit:
                break
            expected = match
        found = units.last_break_before(buffer, pattern, limit, spacing, window)
        assert (found and found.span()) == (expected and expected.span())


def test_units_have_offsets_in_the_decoded_text(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(units, "UNIT_CHARS", 100)
    data = "é word\n\n".encode() * 50
    state, pieces = read_units(data)
    text = data.decode()
    assert len(pieces) > 3 and state.chars == len(text)
    for piece in pieces:
        assert text[piece.offset : piece.offset + len(piece.text)] == piece.text
    assert [piece.number for piece in pieces] == list(range(len(pieces)))
    # Progress positions: the bytes of the units so far, not how far the reader ran ahead.
    positions = [piece.position for piece in pieces]
    assert positions == sorted(positions) and positions[0] < 200 and positions[-1] == len(data)


def test_utf16_input_is_decoded_with_its_bom_recorded() -> None:
    data = b"\xff\xfe" + "Café\n\nsecond".encode("utf-16-le") + b"\x00"
    state, pieces = read_units(data)
    assert state.encoding == "utf-16-le" and state.non_utf8 == 1
    assert "".join(p.text + p.separator for p in pieces) == "Café\n\nsecond\x00"
    records = [record for piece in pieces for record in piece.records]
    assert records[0]["bytes"] == "fffe" and records[-1]["bytes"] == "00"


def test_stray_bytes_are_recorded_so_the_bytes_can_be_rebuilt() -> None:
    data = b"\xef\xbb\xbfcaf\xe9 ok \xff\xfe mid " + b"x" * 100 + b" \x81 end"
    state, pieces = read_units(data)
    decoded = "".join(p.text + p.separator for p in pieces)
    records = [r for p in pieces for r in p.records]
    end = {"stage": "end", "encoding": state.encoding}
    assert log.rebuild_bytes(decoded, [*records, end]) == data
    assert state.non_utf8 == 4


# --------------------------------------------------------------------------- log


def test_nearby_stray_bytes_share_one_record() -> None:
    assert log.stray_spans(b"a\xff b \xfe" + b"c" * log.MERGE_GAP + b"\xfd") == [(1, 6), (38, 39)]
    records = log.decode_records(b"\xe9 \xff", 10)
    assert [(r["start"], r["end"], r["bytes"], r["text"]) for r in records] == [
        (10, 13, "e920ff", "é ÿ")
    ]


def test_the_log_of_random_bytes_is_a_few_times_the_input() -> None:
    data = os.urandom(200_000)
    _, pieces = read_units(data)
    size = sum(len(json.dumps(r, ensure_ascii=False)) for p in pieces for r in p.records)
    assert size < 6 * len(data)


def taker(text: str) -> Any:
    """`take(n)` over `text`, as `log.undo` reads the repaired text."""
    rest = [text]

    def take(count: int) -> str:
        cut = len(rest[0]) if count < 0 else count
        piece, rest[0] = rest[0][:cut], rest[0][cut:]
        return piece

    return take


def test_undo_rejects_a_log_that_is_not_one(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    path.write_text("not json\n")
    with pytest.raises(StreamError, match="line 1: not JSON"):
        list(log.undo(str(path), taker("text")))
    path.write_bytes(b"\xff\xfe\n")
    with pytest.raises(StreamError, match="not UTF-8"):
        list(log.undo(str(path), taker("text")))
    path.write_text(
        json.dumps({"input": "a", "stage": "end", "output_chars": 2, "encoding": "utf-8"})
    )
    with pytest.raises(StreamError, match="describes 2 characters of output, but 5"):
        list(log.undo(str(path), taker("hello")))
    with pytest.raises(StreamError, match="describes more than the 1 characters"):
        list(log.undo(str(path), taker("h")))


def test_log_writer_names_its_file_on_failure() -> None:
    stream = io.StringIO()
    stream.close()
    with pytest.raises(StreamError, match=r"edits\.jsonl"):
        log.LogWriter("edits.jsonl", stream).write([{"a": 1}])


# --------------------------------------------------------------------------- JSON lines


def test_lines_keep_their_breaks_and_long_lines_come_in_pieces(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(jsonl, "MAX_RECORD_BYTES", 10)
    chunks = [b'{"a": 1}\n' + b"y" * 8, b"y" * 8, b"y" * 8 + b"\nlast"]
    lines = list(jsonl.split_lines(chunks))
    assert [kind for kind, _ in lines] == [jsonl.LINE, jsonl.PART, jsonl.LAST_PART, jsonl.LINE]
    assert b"".join(data for _, data in lines) == b"".join(chunks)
    assert max(len(data) for kind, data in lines if kind != jsonl.LINE) <= 10 + 8


def test_repair_batch_repairs_one_field_and_reports_bad_lines() -> None:
    lines = [b'{"text": "Caf\xc3\x83\xc2\xa9", "n": 1}\n', b"oops\n", b"\n"]
    out, problems, non_utf8, records, ends = jsonl.repair_batch(
        lines, "text", textrepair.Options(), True
    )
    assert out == b'{"text": "Caf\xc3\xa9", "n": 1}\noops\n\n'
    assert [index for index, _ in problems] == [1] and non_utf8 == 0
    assert records[0]["line"] == 0 and records[0]["field"] == "text"
    assert ends == [len(out) - 6, len(out) - 1, len(out)]


# --------------------------------------------------------------------------- executor


def test_results_are_handled_in_order_with_two_workers() -> None:
    seen: list[Any] = []
    tasks = (
        executor.Task(pow if n % 3 else None, (n, 2) if n % 3 else (), seen.append)
        for n in range(40)
    )
    executor.execute(tasks, 2, textrepair.Options(unspin=False, split_glued=False))
    assert seen == [n * n if n % 3 else None for n in range(40)]


def test_tasks_are_drawn_lazily() -> None:
    drawn: list[int] = []

    def tasks() -> Any:
        for n in range(100):
            drawn.append(n)
            yield executor.Task(abs, (n,), lambda _: None)
            assert len(drawn) - handled[0] <= executor.IN_FLIGHT_PER_JOB * 2 + 1

    handled = [0]

    def count(task: Any) -> None:
        handled[0] += 1

    def counted() -> Any:
        for task in tasks():
            yield executor.Task(task.function, task.arguments, count)

    executor.execute(counted(), 2, textrepair.Options(unspin=False, split_glued=False))
    assert handled[0] == 100


def test_the_window_of_tasks_in_flight_is_bounded_by_the_characters_they_hold() -> None:
    handled = [0]
    drawn = [0]
    size = executor.IN_FLIGHT_CHARS_PER_JOB // 2  # four of these fill two workers' window

    def done(_: Any) -> None:
        handled[0] += 1

    def tasks() -> Any:
        for n in range(20):
            assert drawn[0] - handled[0] <= 4
            drawn[0] += 1
            yield executor.Task(abs, (n,), done, size=size)

    executor.execute(tasks(), 2, textrepair.Options(unspin=False, split_glued=False))
    assert handled[0] == 20


# --------------------------------------------------------------------------- output, progress


class Recorder(io.RawIOBase):
    def __init__(self) -> None:
        self.sizes: list[int] = []

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self.sizes.append(len(data))
        return len(data)


def test_large_writes_go_out_in_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    recorder = Recorder()
    monkeypatch.setattr(output.Output, "WRITE_SIZE", 1000)
    output.Output("out", recorder, owned=False).write(b"x" * 4500)  # type: ignore[arg-type]
    assert recorder.sizes == [1000, 1000, 1000, 1000, 500]


def test_text_output_writes_utf8_through_the_output() -> None:
    sink = io.BytesIO()
    out = output.Output("out", sink, owned=False)  # type: ignore[arg-type]
    print("café", file=output.TextOutput(out))
    assert sink.getvalue() == "café\n".encode()


def test_a_full_disk_is_a_stream_error_naming_the_output() -> None:
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full")
    out = output.Output.open("/dev/full")
    out.write(b"x")
    with pytest.raises(StreamError, match="/dev/full: No space left on device"):
        out.close()


def test_no_output_may_be_an_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source, other = tmp_path / "in.txt", tmp_path / "out.txt"
    source.write_text("x")
    other.write_text("y")
    link = tmp_path / "link.txt"
    os.link(source, link)
    refuse = output.refuse_outputs_that_are_inputs
    refuse([str(source)], [(str(other), str(other)), ("new", str(tmp_path / "new"))])
    with pytest.raises(StreamError, match=r"link.txt: is also an input \(.*in.txt\)"):
        refuse([str(source)], [(str(link), str(link))])
    with pytest.raises(StreamError, match="another output"):
        refuse([str(source)], [(str(other), str(other)), ("log", str(other))])
    with source.open("rb") as stdin:
        monkeypatch.setattr(sys, "stdin", stdin)
        with pytest.raises(StreamError, match=r"is also an input \(<stdin>\)"):
            refuse(["-"], [(str(source), str(source))])
    refuse(["/dev/null"], [("/dev/null", "/dev/null")])  # not a regular file


def test_progress_counts_bytes_across_inputs_and_documents() -> None:
    stream = io.StringIO()
    bar = progress.Progress(1000, stream)
    bar.update(300, 2)
    bar.next_input(400)
    bar.update(100, 1)
    assert (bar.bar.n, bar.documents) == (500, 3)
    bar.close()
    assert "textrepair" in stream.getvalue()


def test_no_progress_off_a_terminal_or_for_stdin(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("x")
    assert progress.Progress.for_inputs([str(path)], stderr_used=False) is None  # pytest's stderr
    assert progress.Progress.for_inputs(["-"], stderr_used=False) is None


# --------------------------------------------------------------------------- merging edits


def test_nearby_edits_inside_non_text_bytes_become_one_record() -> None:
    from textrepair.streams.filter import merge_edits

    text = "ok \x01a\x02b\x03 " + "x" * 40 + " \x04 tail \x05"
    edits = [
        (index, index + 1, char, "", "normalise", "control", 1.0)
        for index, char in enumerate(text)
        if char < " "
    ]
    far = text.index("\x04")
    merged = merge_edits(text, edits, [(3, far + 1), (len(text) - 1, len(text))])
    first = merged[0]
    assert first[:4] == (3, 8, "\x01a\x02b\x03", "ab") and "3 edits" in first[5]
    assert merged[1:] == edits[3:]  # too far from the others, or alone in its span
    assert merge_edits(text, edits, []) == edits  # real text: every edit kept as it is


def test_the_explain_log_of_random_bytes_stays_compact(tmp_path: Path) -> None:
    from textrepair.streams.filter import Filter

    data = random.Random(1).randbytes(300_000)
    path, log_path = tmp_path / "random.bin", tmp_path / "log.jsonl"
    path.write_bytes(data)
    sink = io.BytesIO()
    with log_path.open("w", encoding="utf-8") as handle:
        run = Filter(
            textrepair.Options(),
            output.Output("out", sink, owned=False),  # type: ignore[arg-type]
            log.LogWriter("log", handle),
        )
        executor.execute(run.text_tasks([str(path)]), 1, run.options)
    assert log_path.stat().st_size < 10 * len(data)
    lines = log_path.read_text(encoding="utf-8").split("\n")
    records = [json.loads(line) for line in lines if line]
    text = sink.getvalue().decode("utf-8", errors="surrogatepass")
    assert log.rebuild_bytes(text, records) == data


# --------------------------------------------------------------------------- errors


def test_messages_name_the_file_and_say_what_went_wrong(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from textrepair.streams import errors

    missing = FileNotFoundError(2, "No such file or directory", "gone.txt")
    assert (errors.error_name(missing, "x"), errors.describe(missing)) == (
        "gone.txt",
        "No such file or directory",
    )
    assert errors.describe(MemoryError()) == "out of memory"
    assert errors.describe(zlib.error("bad")).startswith("corrupt gzip data")
    assert errors.error_name(ValueError("mine.tsv:3: bad row"), "") == ""
    errors.report("a.txt", "broken")
    errors.report("", "mine.tsv:3: bad row")
    assert capsys.readouterr().err == "textrepair: a.txt: broken\ntextrepair: mine.tsv:3: bad row\n"
