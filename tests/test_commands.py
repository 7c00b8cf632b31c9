"""The score, eval and learn subcommands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from textrepair.cli import main

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
SEED = CORPUS / "spun" / "ft-2021-02-26-syria-strikes.spun.txt"
CLEAN = CORPUS / "clean" / "national-2022-08-24-deir-al-zor.clean.txt"


def test_score_ranks_spun_above_clean(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["score", "--format", "json", str(SEED), str(CLEAN)]) == 0
    spun, clean = (json.loads(line) for line in capsys.readouterr().out.splitlines())
    assert spun["level"] == "high" and clean["level"] == "clean"
    assert spun["score"] > clean["score"]
    assert spun["evidence"] and {"text", "original", "log10_ratio"} <= set(spun["evidence"][0])


def test_score_reports_a_missing_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["score", str(SEED), "no-such-file.txt"]) == 1
    captured = capsys.readouterr()
    assert captured.out.startswith(str(SEED)) and "no-such-file.txt" in captured.err


def test_eval_prints_precision_recall_and_damage(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", str(CORPUS)]) == 0
    out = capsys.readouterr().out
    assert "ALL SPUN" in out and "ALL CLEAN" in out
    assert main(["eval", "no-such-corpus"]) == 1


def test_learn_writes_a_lexicon_the_filter_loads(tmp_path: Path) -> None:
    original = tmp_path / "original.txt"
    spun = tmp_path / "spun.txt"
    original.write_text("The harbour was calm and the fishermen slept.\n", encoding="utf-8")
    spun.write_text("The anchorage was calm and the anglers slept.\n", encoding="utf-8")
    lexicon = tmp_path / "lexicon.tsv"
    assert main(["learn", str(original), str(spun), "-o", str(lexicon)]) == 0
    rows = [line.split("\t")[:2] for line in lexicon.read_text(encoding="utf-8").splitlines()]
    assert ["anchorage", "harbour"] in rows and ["anglers", "fishermen"] in rows


def test_diff_marks_each_change_plainly_when_piped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "page.txt"
    page.write_bytes("Caf\u00c3\u00a9 airstrikesFeb 15\n".encode())
    assert main(["diff", str(page)]) == 0
    expected = "[-Caf\u00c3\u00a9-]{+Caf\u00e9+} [-airstrikesFeb-]{+airstrikes Feb+} 15\n"
    assert capsys.readouterr().out == expected
    assert main(["diff", "--color", "always", str(page)]) == 0
    assert "\x1b[32mCaf\u00e9\x1b[0m" in capsys.readouterr().out


def _paragraphs() -> str:
    return SEED.read_text(encoding="utf-8") + "\n\n" + CLEAN.read_text(encoding="utf-8")


def test_score_streams_unit_by_unit_and_counts_every_word(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import textrepair
    from textrepair.streams import units

    text = _paragraphs()
    path = tmp_path / "both.txt"
    path.write_text(text, encoding="utf-8")
    whole = textrepair.score(text)
    monkeypatch.setattr(units, "UNIT_CHARS", 2000)
    assert main(["score", "--format", "json", str(path)]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["words"] == whole.words
    assert record["level"] != "clean" and len(record["evidence"]) == 3


def test_diff_streams_and_each_side_of_it_is_exact(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import re

    from textrepair.streams import units

    text = "CafÃ© &amp; airstrikesFeb 15.\n\n" * 200
    path, out = tmp_path / "page.txt", tmp_path / "out.txt"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setattr(units, "UNIT_CHARS", 300)
    assert main([str(path), "-o", str(out)]) == 0
    assert main(["diff", str(path)]) == 0
    marked = capsys.readouterr().out
    assert re.sub(r"\{\+.*?\+\}", "", marked).replace("[-", "").replace("-]", "") == text
    repaired = re.sub(r"\[-.*?-\]", "", marked).replace("{+", "").replace("+}", "")
    assert repaired == out.read_text(encoding="utf-8")


def test_score_of_a_truncated_gzip_scores_what_was_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import gzip

    path = tmp_path / "cut.gz"
    path.write_bytes(gzip.compress(_paragraphs().encode())[:3000])
    assert main(["score", str(path)]) == 1
    captured = capsys.readouterr()
    assert captured.out.startswith(f"{path}\t") and "compressed file ended" in captured.err
