"""Names as units: whole institutions, their possessives, consistency, "Might" for May.

Every sentence here was written for these tests.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

import textrepair
from textrepair.lexicon import default_lexicon
from textrepair.stages.unspin.candidates import Candidate, scan
from textrepair.stages.unspin.decoding import Decision
from textrepair.stages.unspin.names import consistent, gazetteer, month_edits, name_candidates

from .tools import load_tool

REPO = Path(__file__).resolve().parent.parent

# Enough of the spinner's usual swaps that the gate finds the document spun.
SPUN_LEAD = (
    "Officials stated the measure had been handed after months of talks, in keeping with "
    "a press release, and lawmakers mentioned they'd vote subsequent week. "
)


def restored(sentence: str) -> str:
    """`sentence` after a spun lead, as clean() gives it back (the lead dropped)."""
    return textrepair.clean(SPUN_LEAD + sentence).split(" week. ", 1)[1]


def test_a_name_written_right_keeps_its_words() -> None:
    # "Division" is the spinner's word for "Department", but not inside a real name, nor
    # where the same body is named short after it.
    text = (
        "The Antitrust Division's lawyers stated the case was strong. The Division was"
        " created in 1933, and the Civil Rights Division filed a brief."
    )
    assert restored(text) == text.replace("stated", "said")


def test_a_damaged_institution_comes_back_whole() -> None:
    assert restored("The Division of Defense said the drill would go ahead.") == (
        "The Department of Defense said the drill would go ahead."
    )


def test_a_partial_restoration_is_now_the_whole_name() -> None:
    # Word by word, only "Workplace" -> "Office" was restored ("Government Office for
    # United States Attorneys"); the gazetteer knows the name the words map to.
    assert "the Executive Office for United States Attorneys" in restored(
        "A report by the Government Workplace for United States Attorneys was published."
    )


def test_a_name_written_right_gives_no_candidate() -> None:
    # Nor keeps one for a word inside it ("house" is the spinner's word for "home").
    text = "The Department of Justice and the House of Representatives met."
    lexicon = default_lexicon()
    found = scan(text, lexicon)
    assert [c.text for c in found] == ["House"]
    assert name_candidates(text, lexicon, found) == []


def test_the_whole_name_replaces_the_pieces_of_it() -> None:
    text = "The Government Workplace for United States Attorneys wrote."
    lexicon = default_lexicon()
    candidates = name_candidates(text, lexicon, scan(text, lexicon))
    whole = [c for c in candidates if c.text == "Government Workplace for United States Attorneys"]
    assert [o.text for o in whole[0].options[1:]] == [
        "Executive Office for United States Attorneys"
    ]
    assert not any(c.text == "Workplace" for c in candidates)


def test_possessives_come_back_with_their_base() -> None:
    out = restored("The Division's lawyers and the Home's leaders stated the invoice would cross.")
    assert "The Department's lawyers and the House's leaders" in out


def test_a_spun_name_is_restored_the_same_way_through_the_document() -> None:
    out = restored(
        "The Home Judiciary Committee met on Monday. Members of the Home Judiciary "
        "Committee stated a vote was close. A Home Judiciary Committee aide declined."
    )
    assert out.count("House Judiciary Committee") == 3
    assert "Home" not in out


@pytest.mark.parametrize(
    ("spun", "month"),
    [
        ("The vote is set for Might 12.", "The vote is set for May 12."),
        ("It passed on Might 3, 2021, after a long debate.", "It passed on May 3, 2021,"),
        ("Talks began in Might 2020 and stalled.", "Talks began in May 2020"),
        ("The plan was passed in Might, months before the deal.", "passed in May, months"),
        ("Stock has been on sale since early Might.", "since early May."),
        ("The law took effect on Could 20, 2022, in every state.", "on May 20, 2022,"),
        ("Sales fell to their lowest since Could 2020.", "lowest since May 2020."),
    ],
)
def test_might_before_a_date_is_the_month(spun: str, month: str) -> None:
    assert month in restored(spun)


@pytest.mark.parametrize(
    "kept",
    [
        "Forecasters said it might rain on Tuesday.",
        "Might we see a vote before the recess?",
        "Might 12 people lose their seats?",
        "Nobody knows whether it might.",
        "In Might and Magic, the hero wins.",
        "Fans of Might and Magic were pleased.",
        "Could 12 people lose their seats?",
        "Could the vote be held on Tuesday?",
    ],
)
def test_might_as_a_verb_stays(kept: str) -> None:
    assert kept in restored(kept)


@pytest.mark.parametrize(
    ("spun", "expected"),
    [
        # A capital inside a sentence was the author's: only the row written with
        # capitals ("Individuals" -> "Americans") explains it.
        (
            "The cuts would hit millions of Individuals who depend on the programme.",
            "millions of Americans who",
        ),
        # At a sentence start the capital says nothing, and the lowercase row's reading
        # stays in the running.
        ("Individuals who depend on the programme would be hit.", "People who"),
    ],
)
def test_a_capital_inside_a_sentence_picks_the_name_reading(spun: str, expected: str) -> None:
    assert expected in restored(spun)


def test_a_title_case_heading_keeps_the_lowercase_rows_readings() -> None:
    from textrepair.stages.unspin.candidates import capital_readings, in_context

    text = "Officials said: Millions of Individuals Lose Cover."
    found = capital_readings(text, in_context(text, scan(text, default_lexicon())))
    heading = next(c for c in found if c.text == "Individuals")
    assert {("people",), ("americans",)} <= {option.words for option in heading.options[1:]}


def test_month_edits_need_a_date() -> None:
    text = "It might rain. Might we go? On Might 12 it did."
    edits = month_edits(text, [], "unspin")
    assert [(e.start, e.after) for e in edits] == [(text.index("Might 12"), "May")]


def test_clean_text_with_names_and_months_is_unchanged() -> None:
    text = (
        "The Department of Justice said on May 12 that the House of Representatives had "
        "passed the bill. The Department's lawyers said it might take weeks. Might the "
        "House Judiciary Committee act first? The Attorney General's office declined."
    )
    assert textrepair.clean(text) == text


def test_every_gazetteer_row_has_its_source_and_provenance() -> None:
    data = REPO / "src" / "textrepair" / "data" / "gazetteer.tsv.gz"
    rows = gzip.decompress(data.read_bytes()).decode("utf-8").splitlines()
    assert rows[0] == "name\tsource\tprovenance\tspun"
    for row in rows[1:]:
        name, source, provenance, _ = row.split("\t")
        assert " " in name and source in ("real-clean", "lexicon", "mined") and provenance
    assert "Department of Justice" in gazetteer().names
    assert gazetteer().swaps["Photographs"] == ("Images",)


def test_the_gazetteer_build_is_deterministic(tmp_path: Path) -> None:
    build = load_tool("build_gazetteer")
    real = tmp_path / "real"
    (real / "clean").mkdir(parents=True)
    (real / "manifest.tsv").write_text(
        "file\turl\n"
        + "".join(f"clean/{n}.txt\thttps://example.gov/{n}\n" for n in ("a", "b", "c"))
    )
    for n in ("a", "b", "c"):
        (real / "clean" / f"{n}.txt").write_text(
            f"Agents of the Federal Bureau of Investigation in {n.upper()}ville said so."
        )
    missing = tmp_path / "missing.tsv"
    first = build.build(real, missing, missing)
    assert first == build.build(real, missing, missing)
    table = gzip.decompress(first).decode("utf-8")
    assert "Federal Bureau of Investigation\treal-clean\t" in table


def test_a_swap_seen_only_inside_a_name_restores_that_name() -> None:
    # "Photographs" -> "Images" is no lexicon row (a photograph is not an image
    # elsewhere); the gazetteer has it from a real page, for "Getty Images" only.
    out = restored("The photographs came from Getty Photographs on Monday.")
    assert "The photographs came from Getty Images on Monday." in out


def test_the_build_takes_names_from_mined_name_changes(tmp_path: Path) -> None:
    build = load_tool("build_gazetteer")
    mined, rejected = tmp_path / "pairs.tsv", tmp_path / "rejected.tsv"
    mined.write_text(
        "# mined\nspun\toriginal\tspun_urls\toriginal_urls\n"
        "Snaps\tShots\thttps://farm.example/a\thttps://wire.example/a\n"
    )
    rejected.write_text(
        "spun\toriginal\treason\nSnaps\tShots\tname change ('Big Snaps' for 'Big Shots')\n"
    )
    (tmp_path / "manifest.tsv").write_text("file\turl\n")
    table = gzip.decompress(build.build(tmp_path, mined, rejected)).decode("utf-8")
    assert "Big Shots\tmined\thttps://farm.example/a\tBig Snaps\n" in table


def test_a_real_name_that_reads_as_a_spun_one_is_kept(tmp_path: Path) -> None:
    # "Protected Childhood" maps word by word to the name "Safe Childhood"; a clean text
    # writing it makes it a name as written.
    build = load_tool("build_gazetteer")
    real = tmp_path / "real"
    (real / "clean").mkdir(parents=True)
    manifest = "file\turl\n"
    for n in ("a", "h"):  # a, c and h fall in the training part (b in the held-out)
        manifest += f"clean/{n}.txt\thttps://example.gov/{n}\n"
        (real / "clean" / f"{n}.txt").write_text(f"Agents of Safe Childhood in {n}.")
    manifest += "clean/c.txt\thttps://example.gov/c\n"
    (real / "clean" / "c.txt").write_text("The Protected Childhood office made an arrest.")
    (real / "manifest.tsv").write_text(manifest)
    missing = tmp_path / "missing.tsv"
    table = gzip.decompress(build.build(real, missing, missing)).decode("utf-8")
    assert "Protected Childhood\treal-clean\twritten as is in https://example.gov/c\t\n" in table


def test_a_capitalised_word_restored_twice_is_restored_at_its_other_places() -> None:
    text = (
        "Aides used Sign for the plans, and the chat on Sign leaked. Staff said Sign"
        " was not approved. Sign up here."
    )
    candidates = [c for c in scan(text, default_lexicon()) if c.text == "Sign"]
    assert len(candidates) == 4

    def restore(candidate: Candidate) -> Decision:
        option = next(o for o in candidate.options if o.text == "Signal")
        return Decision(candidate, option, 0.9)

    once = consistent(text, candidates, [restore(candidates[0])])
    assert [d.candidate.start for d in once] == [candidates[0].start]  # once is not enough
    twice = consistent(text, candidates, [restore(c) for c in candidates[:2]])
    # The third "Sign" follows; the fourth starts a sentence ("Sign up") and stays.
    assert [d.candidate.start for d in twice] == [c.start for c in candidates[:3]]
