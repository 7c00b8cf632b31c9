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
