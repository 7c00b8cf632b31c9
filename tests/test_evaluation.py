"""The restoration scorer follows the corpus README's rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from textrepair.evaluation import evaluate_corpus, parse_reference, score_clean, score_pair, tokens

SPUN = "The teams met on Monday and stated that the latest assaults were over."
REFERENCE = "The groups met on Monday and said that the recent attacks were over."


def kinds(spun: str, reference: str, output: str) -> list[str]:
    return [spot.kind for spot in score_pair(spun, reference, output).spots]


def test_tokens_fold_typography() -> None:
    assert tokens("It\u2019s \u201cfine\u201d \u2014 well-known") == [
        "It's",
        '"',
        "fine",
        '"',
        "-",
        "well-known",
    ]


def test_perfect_restoration() -> None:
    score = score_pair(SPUN, REFERENCE, REFERENCE)
    assert (score.tp, score.wrong, score.fp, score.fn) == (3, 0, 0, 0)
    assert score.precision == score.recall == 1.0


def test_each_kind_of_spot() -> None:
    output = "The groups met on Monday and declared that the latest assaults were done."
    assert kinds(SPUN, REFERENCE, output) == ["TP", "WRONG", "FN", "FP"]
    score = score_pair(SPUN, REFERENCE, output)
    assert score.precision == pytest.approx(1 / 3)
    assert score.recall == pytest.approx(1 / 3)


def test_touching_spots_merge() -> None:
    spun, reference = "a latest assault here", "a recent attack here"
    assert kinds(spun, reference, "a recent assault here") == ["WRONG"]


def test_harm_counts_the_authors_words_changed_inside_any_spot() -> None:
    spun, reference = "The bulk chief stated the plan.", "The majority leader said the plan."
    partial = score_pair(spun, reference, "The bulk chief said the plan.")
    assert (partial.wrong, partial.true_words_changed) == (1, 0)  # a repair left half done
    spun, reference = "The army chief stated the plan.", "The military chief said the plan."
    beside = score_pair(spun, reference, "The military leader said the plan.")
    assert (beside.wrong, beside.true_words_changed) == (1, 1)  # "chief" was the author's
    apart = score_pair(spun, reference, "The military chief said the scheme.")
    assert (apart.tp, apart.fp, apart.true_words_changed) == (2, 1, 1)


def test_uncertain_marks_are_not_counted() -> None:
    reference = "The groups met and {had been|were} told to go, she said."
    spun = "The teams met and had been told to go, she stated."
    assert parse_reference(reference)[0] == "The groups met and had been told to go, she said."
    assert kinds(spun, reference, "The groups met and were told to go, she said.") == ["TP", "TP"]
    assert kinds(spun, reference, "The groups met and had been told to go, she said.") == [
        "TP",
        "TP",
    ]


def test_changes_to_clean_text_are_counted_per_word() -> None:
    score = score_clean(
        "The safety rules apply within 12 months.", "The security rules apply in a year."
    )
    assert score.words == 7
    assert score.fp == 2  # "safety"; "within 12 months" (touching changes merge)
    assert score.changed_words == 4
    assert score.changes_per_1000_words == pytest.approx(4000 / 7)


def test_corpus_scoring_of_the_identity(tmp_path: Path) -> None:
    (tmp_path / "spun").mkdir()
    (tmp_path / "clean").mkdir()
    (tmp_path / "spun" / "x.spun.txt").write_text(SPUN, encoding="utf-8")
    (tmp_path / "spun" / "x.reference.txt").write_text(REFERENCE, encoding="utf-8")
    (tmp_path / "clean" / "y.clean.txt").write_text(REFERENCE, encoding="utf-8")
    report = evaluate_corpus(tmp_path, lambda text: text)
    assert report.total("spun").fn == 3
    assert report.total("clean").changed_words == 0


def test_missing_corpus_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="no corpus"):
        evaluate_corpus(tmp_path, lambda text: text)


def test_real_corpus_is_reported_per_register_and_part(tmp_path: Path) -> None:
    from textrepair.evaluation import format_report, real_part

    real = tmp_path / "real"
    (real / "clean").mkdir(parents=True)
    names = [f"clean/police-{n}.txt" for n in range(12)]
    rows = ["file\turl\tlicence\tretrieved\tregister"]
    for name in names:
        (real / name).write_text("Officers stated that the men left.", encoding="utf-8")
        rows.append(f"{name}\thttps://example.gov/{name}\tpublic-domain\t2026-12-02\tpolice")
    rows.append("clean/missing.txt\thttps://example.gov/x\tpublic-domain\t2026-12-02\tcourt")
    (real / "manifest.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    damaged = names[0]

    def repair(text: str) -> str:
        return text  # the identity, except for one text changed below

    report = evaluate_corpus(tmp_path, repair)
    assert set(report.real) == set(names)  # the missing file is skipped
    assert {row["part"] for row in report.real_rows.values()} == {"train", "held-out"}
    assert all(report.real_rows[name]["part"] == real_part(name) for name in names)
    report.real[damaged] = score_clean(
        "Officers stated that the men left.", "Officials said that the men left."
    )
    table = format_report(report, details=True)
    part = real_part(damaged)
    assert f"police ({part})" in table and "ALL REAL (held-out)" in table
    total = next(
        line.split() for line in table.splitlines() if line.split()[:3] == ["ALL", "REAL", "12"]
    )
    assert total[3:5] == ["1", "72"]  # texts changed, words
    assert f"FP    {damaged}: 'Officers stated' -> 'Officials said'" in table


def test_real_spun_pairs_are_scored_in_a_table_of_their_own(tmp_path: Path) -> None:
    from textrepair.evaluation import format_report

    spun = tmp_path / "real" / "spun"
    spun.mkdir(parents=True)
    (spun / "page.spun.txt").write_text("The Home on Friday handed a new invoice.\n", "utf-8")
    (spun / "page.reference.txt").write_text("The House on Friday passed a new bill.\n", "utf-8")

    def repair(text: str) -> str:
        return text.replace("Home", "House").replace("invoice", "check")

    report = evaluate_corpus(tmp_path, repair)
    assert report.spun == {} and list(report.real_spun) == ["page.spun.txt"]
    score = report.real_spun["page.spun.txt"]
    assert (score.tp, score.wrong, score.fp, score.fn) == (1, 1, 0, 1)
    table = format_report(report, details=True)
    assert "ALL REAL SPUN" in table
    assert "WRONG page.spun.txt: 'invoice' -> 'check' (reference 'bill')" in table
    assert "FN    page.spun.txt: 'handed' -> 'handed' (reference 'passed')" in table
