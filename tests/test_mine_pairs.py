"""Mining a spinner's swaps and kept originals from page pairs (tools/mine_pairs.py)."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tools"))

import build_lexicon  # noqa: E402
import mine_pairs  # noqa: E402

from textrepair.evaluation import score_pair  # noqa: E402
from textrepair.learn import learn  # noqa: E402

# Two short "pages" of our own: the same story and a copy a spinner made of it. The
# spinner writes "mentioned" for "said" once and leaves "said" alone once, writes
# "Home" for the House, and the copy also carries a sentence the original lacks.
ORIGINAL_A = (
    "The House will vote on the funding bill on Friday, the majority leader said.\n"
    "He said the vote was moved because the process takes a long time.\n"
    "Officials said the storm damaged several homes near the river."
)
SPUN_A = (
    "The Home will vote on the funding invoice on Friday, the bulk chief mentioned.\n"
    "He said the vote was moved as a result of the method takes a very long time.\n"
    "Officials mentioned the storm broken a number of homes near the river.\n"
    "Subscribe to our newsletter for the latest headlines every morning."
)
ORIGINAL_B = "Lawmakers said the bill would pass the House by a wide margin next week."
SPUN_B = "Lawmakers mentioned the invoice would cross the Home by a large margin subsequent week."


def pages() -> list[mine_pairs.Page]:
    return [
        mine_pairs.Page(
            "a", ORIGINAL_A, SPUN_A, "https://farm.example/a", "https://wire.example/a"
        ),
        mine_pairs.Page(
            "b", ORIGINAL_B, SPUN_B, "https://farm.example/b", "https://wire.example/b"
        ),
    ]


def test_swaps_kept_and_pages_are_counted() -> None:
    tallies = mine_pairs.mine(pages())
    said = tallies[("mentioned", "said")]
    assert said.swaps == 3  # two on page a, one on page b
    assert said.kept == 1  # "He said" came through unchanged
    assert said.pages == {"a", "b"}
    assert tallies[("invoice", "bill")].swaps == 2
    assert tallies[("Home", "House")].swaps == 2  # capitalised mid-sentence: a name row


def test_unaligned_sentences_are_not_mined() -> None:
    tallies = mine_pairs.mine(pages())
    # The newsletter line has no counterpart in the original: none of its words pair up.
    assert not any("newsletter" in spun or "headlines" in spun for spun, _ in tallies)


def test_changed_names_are_not_swaps_and_closed_class_pairs_are_counted() -> None:
    original = "Speaker Johnson said the bill will pass the House on Tuesday morning."
    spun = "Speaker Scalise mentioned the bill is pass the Home on Tuesday morning."
    vocabulary = {"speaker", "said", "mentioned", "bill", "invoice", "pass", "house", "home"}
    vocabulary |= {"the", "on", "tuesday", "morning", "will", "is"}
    tallies = mine_pairs.mine([mine_pairs.Page("c", original, spun)], vocabulary)
    assert ("Scalise", "Johnson") not in tallies  # a changed name, not spinning
    # Counted like any pair; the table build keeps it out (one page, see build_lexicon).
    assert tallies[("is", "will")].swaps == 1
    assert ("mentioned", "said") in tallies


def test_a_word_of_the_spinners_own_is_a_swap_on_two_pages() -> None:
    vocabulary = {"the", "were", "sent", "files"}
    original, spun = "The files were sent.", "The recordsdata were sent."
    tallies = mine_pairs.mine([mine_pairs.Page("c", original, spun)], vocabulary)
    assert tallies[("recordsdata", "files")].swaps == 1  # lowercase: no changed name
    # Word lists have no possessives: "country's" is "country".
    page = mine_pairs.Page("d", "The country's files were sent.", "The nation's files were sent.")
    tallies = mine_pairs.mine([page], vocabulary | {"country", "nation"})
    assert tallies[("nation's", "country's")].swaps == 1
    mined = [
        mine_pairs.MinedRow("recordsdata", "files", 3, 0, 0, ("p", "q")),
        mine_pairs.MinedRow("subsidi", "subsidies", 1, 0, 0, ("p",)),  # a page cut off
    ]
    listed = frozenset({"files", "subsidies"})
    rows = build_lexicon.fold_mined([], mined, set(), Counter(), frozenset(), listed)
    assert [(r.spun, r.original) for r in rows] == [("recordsdata", "files")]


def test_written_rows_carry_urls_and_read_back(tmp_path: Path) -> None:
    out = tmp_path / "mined.tsv"
    out.write_text(mine_pairs.format_rows(mine_pairs.mine(pages()), pages()), encoding="utf-8")
    rows = {(r.spun, r.original): r for r in mine_pairs.read_mined(out)}
    said = rows[("mentioned", "said")]
    assert (said.swaps, said.kept) == (3, 1)
    assert said.pages == ("https://farm.example/a", "https://farm.example/b")
    assert "wire.example/a" in out.read_text(encoding="utf-8")
    assert "Subscribe" not in out.read_text(encoding="utf-8")  # facts only, no page text


def test_a_pair_of_neighbouring_swaps_is_credited_to_its_parts() -> None:
    row = mine_pairs.MinedRow
    rows = mine_pairs.decomposed(
        [
            row("doesn't wish", "does not want", 1, 0, 0, ("https://farm.example/c",)),
            row("doesn't", "does not", 3, 0, 5, ("https://farm.example/a",)),
            row("wish", "want", 2, 4, 1, ("https://farm.example/b",)),
            row("bulk chief", "majority leader", 2, 0, 0, ("https://farm.example/a",)),
        ]
    )
    by_pair = {(r.spun, r.original): r for r in rows}
    assert ("doesn't wish", "does not want") not in by_pair  # all its swaps went to the parts
    assert by_pair[("doesn't", "does not")].swaps == 4
    assert by_pair[("wish", "want")].pages == ("https://farm.example/b", "https://farm.example/c")
    assert (by_pair[("wish", "want")].kept, by_pair[("wish", "want")].genuine) == (4, 1)
    # "bulk" for "majority" is no row of its own: the pair stays whole.
    assert by_pair[("bulk chief", "majority leader")].swaps == 2


def test_folder_of_pairs_gives_the_same_bytes(tmp_path: Path) -> None:
    for page in pages():
        (tmp_path / f"{page.name}.original.txt").write_text(page.original, encoding="utf-8")
        (tmp_path / f"{page.name}.spun.txt").write_text(page.spun, encoding="utf-8")
    (tmp_path / "urls.tsv").write_text(
        "a\thttps://farm.example/a\thttps://wire.example/a\n", encoding="utf-8"
    )
    first, second = tmp_path / "one.tsv", tmp_path / "two.tsv"
    assert mine_pairs.main([str(tmp_path), "-o", str(first), "--any-word"]) == 0
    assert mine_pairs.main([str(tmp_path), "-o", str(second), "--any-word"]) == 0
    assert first.read_bytes() == second.read_bytes()
    assert "https://farm.example/a b" in first.read_text(encoding="utf-8")  # b has no URL


def _write_pages(folder: Path, chosen: list[mine_pairs.Page]) -> None:
    folder.mkdir()
    for page in chosen:
        (folder / f"{page.name}.original.txt").write_text(page.original, encoding="utf-8")
        (folder / f"{page.name}.spun.txt").write_text(page.spun, encoding="utf-8")
    rows = "".join(f"{p.name}\t{p.spun_url}\t{p.original_url}\n" for p in chosen)
    (folder / "urls.tsv").write_text(rows, encoding="utf-8")


def test_pages_added_later_count_as_if_mined_together(tmp_path: Path) -> None:
    first, second, both = pages()[:1], pages()[1:], pages()
    for name, chosen in (("first", first), ("second", second), ("both", both)):
        _write_pages(tmp_path / name, chosen)
    together, added = tmp_path / "together.tsv", tmp_path / "added.tsv"
    assert mine_pairs.main([str(tmp_path / "both"), "-o", str(together), "--any-word"]) == 0
    assert mine_pairs.main([str(tmp_path / "first"), "-o", str(added), "--any-word"]) == 0
    assert mine_pairs.main([str(tmp_path / "second"), "-o", str(added), "--any-word", "--add"]) == 0
    # Page a holds no word of the pairs only page b shows ("cross" for pass), so the files
    # are the same: a pair first seen on an added page has its kept and genuine counts
    # from the added pages only, while pairs known before get them on every page.
    assert added.read_bytes() == together.read_bytes()
    with pytest.raises(SystemExit):  # the same pages twice would count them twice
        mine_pairs.main([str(tmp_path / "second"), "-o", str(added), "--any-word", "--add"])
    assert added.read_bytes() == together.read_bytes()


def test_priors_follow_the_measured_rate() -> None:
    often = mine_pairs.MinedRow("mentioned", "said", 20, 0, 0, ("p",))
    seldom = mine_pairs.MinedRow("within", "in", 2, 40, 0, ("p",))
    priors = mine_pairs.channel_priors([often, seldom], {("mentioned", "said"): 1.0})
    assert priors[("mentioned", "said")] == (pytest.approx(1.0), 20)
    assert priors[("within", "in")] == (pytest.approx((2 + 2 * 1.0) / (42 + 2)), 42)
    # An original swapped to two spun forms splits its occurrences between them.
    a = mine_pairs.MinedRow("stated", "said", 5, 0, 0, ("p",))
    b = mine_pairs.MinedRow("mentioned", "said", 5, 0, 0, ("p",))
    split = mine_pairs.channel_priors([a, b], {})
    assert split[("stated", "said")][0] == pytest.approx((5 + 2) / (10 + 2))


def test_build_folds_mined_rows_and_keeps_out_rejected_ones() -> None:
    curated = [build_lexicon.Row("mentioned", "said", "news", 1.0)]
    mined = [
        mine_pairs.MinedRow("mentioned", "said", 1, 9, 0, ("p",)),
        mine_pairs.MinedRow("invoice", "bill", 4, 0, 0, ("p",)),
        mine_pairs.MinedRow("within", "in", 2, 10, 0, ("p",)),  # function words only
        mine_pairs.MinedRow("major", "significant", 1, 0, 0, ("p",)),
    ]
    rows = build_lexicon.fold_mined(curated, mined, {("major", "significant")}, Counter())
    by_key = {(r.spun, r.original): r for r in rows}
    assert by_key[("mentioned", "said")].source == "news"
    assert by_key[("mentioned", "said")].prior == 1.0  # curated priors stay hand-set
    assert by_key[("invoice", "bill")].source == "mined"
    assert by_key[("invoice", "bill")].prior == pytest.approx(1.0)  # 4 of 4 swapped
    assert ("within", "in") not in by_key
    assert ("major", "significant") not in by_key


def test_a_form_the_pages_show_as_mostly_written_stays_out() -> None:
    mined = [
        # "title" for name: 4 swaps, and the authors' own "title" 19 times.
        mine_pairs.MinedRow("title", "name", 4, 0, 19, ("p", "q", "r", "s")),
        # "shortly" for quickly: 5 swaps, 10 as written, too few to be sure.
        mine_pairs.MinedRow("shortly", "quickly", 5, 0, 10, ("p", "q", "r", "s", "t")),
        # A second original of the same form counts towards the spinner's share.
        mine_pairs.MinedRow("overseas", "abroad", 3, 0, 9, ("p", "q", "r")),
        mine_pairs.MinedRow("overseas", "foreign", 9, 0, 9, ("p", "q", "r")),
    ]
    rows = build_lexicon.fold_mined([], mined, set(), Counter())
    kept = {(r.spun, r.original) for r in rows}
    assert ("title", "name") not in kept
    assert {("shortly", "quickly"), ("overseas", "abroad"), ("overseas", "foreign")} <= kept
    assert build_lexicon.mostly_written(4, 19) and not build_lexicon.mostly_written(12, 9)


def test_an_everyday_spun_word_needs_two_pages() -> None:
    mined = [
        mine_pairs.MinedRow("properly", "well", 1, 0, 0, ("p",)),
        mine_pairs.MinedRow("carried out", "implemented", 3, 0, 0, ("p",)),
        mine_pairs.MinedRow("name", "call", 2, 0, 0, ("p", "q")),
        mine_pairs.MinedRow("imaginative", "visionary", 1, 0, 0, ("p",)),
    ]
    common = frozenset({"properly", "carried", "out", "name"})
    rows = build_lexicon.fold_mined([], mined, set(), Counter(), common)
    assert {(r.spun, r.original) for r in rows} == {("name", "call"), ("imaginative", "visionary")}
    shipped = build_lexicon.common_words()
    assert {"properly", "children", "the"} <= shipped and "imaginative" not in shipped


def test_words_the_spinner_inserted_are_mined_with_their_neighbours() -> None:
    original = "The rules will be tested first, and the agency will use them in the fall."
    spun = (
        "The foundations will probably be examined first, and the company will make use"
        " of them within the fall."
    )
    page = mine_pairs.Page("c", original, spun, "https://farm.example/c", "https://wire.example/c")
    tallies = mine_pairs.mine([page])
    assert tallies[("will probably be", "will be")].swaps == 1
    assert tallies[("make use of", "use")].swaps == 1


def test_a_moved_word_is_no_insertion() -> None:
    pairs = learn("She chose not to be named.", "She selected to not be named.", insertions=True)
    assert ("to not be", "to be") not in {(p.spun, p.original) for p in pairs}


def test_an_insertion_beside_a_row_of_its_own_is_credited_to_it() -> None:
    row = mine_pairs.MinedRow
    rows = mine_pairs.decomposed(
        [
            row("court docket", "court", 3, 0, 0, ("https://farm.example/a",)),
            row("court docket allowed", "court allowed", 1, 0, 0, ("https://farm.example/b",)),
        ]
    )
    assert [(r.spun, r.original, r.swaps) for r in rows] == [("court docket", "court", 4)]


def test_inserted_words_need_two_pages() -> None:
    mined = [
        mine_pairs.MinedRow("come back", "come", 3, 0, 0, ("p",)),
        mine_pairs.MinedRow("will probably be", "will be", 4, 0, 0, ("p", "q")),
    ]
    rows = build_lexicon.fold_mined([], mined, set(), Counter())
    assert {(r.spun, r.original) for r in rows} == {("will probably be", "will be")}


def test_a_case_change_from_one_page_is_a_headline_not_the_spinner() -> None:
    mined = [
        mine_pairs.MinedRow("strain", "Pressure", 1, 0, 0, ("p",)),
        mine_pairs.MinedRow("strain", "pressure", 6, 0, 0, ("p", "q")),
        mine_pairs.MinedRow("Invoice", "Bill", 5, 0, 0, ("p", "q")),
        mine_pairs.MinedRow("america", "the United States", 6, 0, 0, ("p", "q")),
    ]
    rows = build_lexicon.fold_mined([], mined, set(), Counter())
    assert {(r.spun, r.original) for r in rows} == {
        ("strain", "pressure"),
        ("Invoice", "Bill"),
        ("america", "the United States"),
    }


def test_the_words_of_the_originals_are_counted_once_per_original(tmp_path: Path) -> None:
    original = "The agency\u2019s shortage worsened in 2024. The shortage is over, she said."
    pages = [
        mine_pairs.Page(
            "a", original, "spun a", "https://farm.example/a", "https://wire.example/x"
        ),
        mine_pairs.Page(
            "b", original, "spun b", "https://farm.example/b", "https://wire.example/x"
        ),
    ]
    counts, originals = mine_pairs.original_word_counts(pages)
    assert originals == 1 and counts["shortage"] == 2 and counts["agency's"] == 1
    assert "2024" not in counts and "The" not in counts
    path = tmp_path / "words.tsv"
    path.write_text(mine_pairs.format_word_counts(counts, originals), encoding="utf-8")
    assert mine_pairs.read_word_counts(path) == counts


def test_reference_marks_unaligned_sentences_uncertain() -> None:
    reference = mine_pairs.reference_for(ORIGINAL_A, SPUN_A)
    assert "the majority leader said" in reference
    assert "{Subscribe to our newsletter" in reference and "|unaligned}" in reference


def test_a_sentence_with_spintax_residue_is_still_left_out() -> None:
    # Its braces cannot sit inside a mark: the pieces around them are marked instead, so
    # the spun words of an unaligned sentence count neither as misses nor as harm.
    spun = "The Home handed a invoice price billions of {dollars} on Friday."
    reference = mine_pairs.reference_for("Nothing here matches.", spun)
    assert reference == (
        "{The Home handed a invoice price billions of|unaligned} "
        "{{dollars|unaligned}} {on Friday.|unaligned}"
    )
    score = score_pair(spun, reference, spun.replace("Home", "House"))
    assert (score.tp, score.wrong, score.fp, score.fn) == (0, 0, 0, 0)


def test_the_page_list_names_every_mined_page_once() -> None:
    """sources/mined-pages.tsv: one row per page, unique names and URLs, and exactly the
    spun pages the mined rows cite (rows added with --add must be listed too)."""
    rows = [
        line.split("\t")
        for line in (REPO / "sources/mined-pages.tsv").read_text(encoding="utf-8").splitlines()
    ]
    assert all(len(row) == 3 for row in rows)
    names, spun_urls = [row[0] for row in rows], [row[1] for row in rows]
    assert len(set(names)) == len(names)
    assert len(set(spun_urls)) == len(spun_urls)
    mined = mine_pairs.read_mined(REPO / "sources/mined-pairs.tsv")
    cited = {url for row in mined for url in row.pages}
    assert cited == set(spun_urls)
