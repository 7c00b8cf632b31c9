#!/usr/bin/env python3
"""Leave-one-page-out evaluation of the mined rows, and their harm to clean text.

A page's own rows would make its score in-sample, so every real pair is scored with a
lexicon built from the mined rows of the *other* pages only (pages that copy the same
original are left out together: they share sentences). "before" is the lexicon without
any mined row or measured prior; "after" adds the rows of the other pages, and their
counts of each spun form as spinner output and as written (the genuine-rate table's
spun-page columns), and the words of their originals (its original-count column). Team pairs
(``corpus/spun``) are never mined, so they are scored with the rows of all real pages.
Counting is textrepair.evaluation's (corpus/README.md); sentences of a page that have no
counterpart in its original are marked uncertain and left out (``mine_pairs.reference_for``).

Clean texts (``corpus/clean`` and any ``--clean`` folder) are run with all mined rows:
every changed word is listed with the row that made it, for ``sources/mined-rejected.tsv``.

Run from the repository root:
``PYTHONPATH=src python benchmarks/lopo_mined.py /work/pages-cache/pairs [--clean DIR]
[--details spots.tsv]`` (``--details``: every scored spot of the real pairs, for reading
the misses and wrong changes; it holds page text, so keep it outside the repository).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO / "src"), str(REPO / "tools")]

import build_genuine_rates  # noqa: E402
import build_lexicon  # noqa: E402
import mine_pairs  # noqa: E402

import textrepair  # noqa: E402
from textrepair import lexicon as lexicon_module  # noqa: E402
from textrepair.evaluation import Score, score_clean, score_pair  # noqa: E402
from textrepair.stages.unspin import gate  # noqa: E402


def base_rows() -> tuple[list[build_lexicon.Row], list[build_lexicon.Row]]:
    """Curated and PPS rows as the build makes them, before any mined data."""
    stats: Counter[str] = Counter()
    curated = build_lexicon.curated_rows(
        build_lexicon.read_curated(REPO / "sources/spinner-news.tsv", "news")
        + build_lexicon.read_curated(REPO / "sources/spinner-other.tsv", "other")
    )
    pps = build_lexicon.pps_rows(
        REPO / "sources/pps/pps-tortured-phrases.json",
        REPO / "sources/pps/pps-fingerprints-with-context.csv",
        stats,
    )
    return curated, pps


def use_rows(rows: Iterable[build_lexicon.Row]) -> None:
    """Make textrepair use these rows as its shipped lexicon in this process."""
    table = lexicon_module.Lexicon(
        lexicon_module.Substitution(r.spun, r.original, r.source, r.prior, r.context) for r in rows
    )
    lexicon_module.default_lexicon = lambda: table
    lexicon_module._selected_lexicon.cache_clear()
    if lexicon_module.selected_lexicon() is not table:
        raise RuntimeError("textrepair no longer reads its lexicon through default_lexicon()")


def lexicon_rows(
    curated: list[build_lexicon.Row],
    pps: list[build_lexicon.Row],
    mined: list[mine_pairs.MinedRow],
    rejected: set[tuple[str, str]],
) -> list[build_lexicon.Row]:
    common, listed = build_lexicon.common_words(), build_lexicon.listed_words()
    return build_lexicon.fold_mined(curated, mined, rejected, Counter(), common, listed) + pps


def use_page_counts(
    mined: Iterable[mine_pairs.MinedRow],
    rejected: set[tuple[str, str]],
    pages: Iterable[mine_pairs.Page] = (),
) -> None:
    """Make the genuine-rate table's spun-page counts those of `mined` alone, and its
    original-word counts those of `pages` (the shipped ones count every page, the
    left-out one too)."""
    counts = build_genuine_rates.spun_page_counts(mined, rejected)
    words, _ = mine_pairs.original_word_counts(pages)
    table = gate.genuine_rates()  # the loaded table itself: changed in place
    for phrase, rates in table.items():
        straight = phrase.replace("\u2019", "'")
        swaps, genuine = counts.get(tuple(straight.split()), (0, 0))
        written = words[straight] if " " not in straight else 0
        table[phrase] = rates._replace(
            page_swaps=swaps, page_genuine=genuine, original_count=written
        )
    table[gate.POOLED] = table[gate.POOLED]._replace(original_count=sum(words.values()))


def mined_without(pages: Sequence[mine_pairs.Page], left_out: set[str]) -> list:
    """Mined rows (as the build reads them) from every page not in `left_out`."""
    kept = [p for p in pages if p.name not in left_out]
    tallies = mine_pairs.mine(kept, mine_pairs.default_vocabulary())
    return mine_pairs.decomposed(
        mine_pairs.MinedRow(s, o, t.swaps, t.kept, t.genuine, tuple(sorted(t.pages)))
        for (s, o), t in tallies.items()
    )


def score_pages(pages: Iterable[mine_pairs.Page], repair: Callable[[str], str]) -> dict:
    return {
        p.name: score_pair(p.spun, mine_pairs.reference_for(p.original, p.spun), repair(p.spun))
        for p in pages
    }


def team_pairs(folder: Path) -> list[mine_pairs.Page]:
    out = []
    for spun_path in sorted(folder.glob("*.spun.txt")):
        reference = spun_path.with_name(spun_path.name.replace(".spun.txt", ".reference.txt"))
        out.append(
            mine_pairs.Page(
                spun_path.name.removesuffix(".spun.txt"),
                reference.read_text(encoding="utf-8"),
                spun_path.read_text(encoding="utf-8"),
            )
        )
    return out


def line(name: str, before: Score, after: Score) -> str:
    return (
        f"{name:44} {before.precision:6.3f} {before.recall:6.3f}   "
        f"{after.precision:6.3f} {after.recall:6.3f} {after.tp:4} {after.wrong:4} "
        f"{after.fp:4} {after.fn:4} {after.true_words_changed:5}"
    )


def report(title: str, before: dict, after: dict) -> list[str]:
    lines = [
        f"{title:44} {'P':>6} {'R':>6}   {'P':>6} {'R':>6} {'TP':>4} {'WR':>4} {'FP':>4} {'FN':>4}"
        f" {'HARM':>5}"
    ]
    total_before, total_after = Score(), Score()
    for name in before:
        lines.append(line(name, before[name], after[name]))
        total_before.add(before[name])
        total_after.add(after[name])
    lines.append(line("POOLED", total_before, total_after))
    return lines


def details(scores: dict[str, Score]) -> str:
    """Every spot of `scores` as a TSV line: page, kind, spun, reference, output."""
    lines = ["page\tkind\tspun\treference\toutput"]
    for name, score in sorted(scores.items()):
        lines.extend(
            f"{name}\t{spot.kind}\t{spot.spun}\t{spot.reference}\t{spot.output}"
            for spot in score.spots
        )
    return "\n".join(lines) + "\n"


def clean_harm(folders: Sequence[Path], mined_keys: set[tuple[str, str]]) -> list[str]:
    """Changed words in clean texts under the current lexicon, with the rows that made them."""
    lines, words, changed = [], 0, 0
    for folder in folders:
        for path in sorted(folder.glob("*.txt")):
            try:
                text = path.read_text(encoding="utf-8")
            except FileNotFoundError:  # a folder still being gathered
                continue
            result = textrepair.repair(text)
            score = score_clean(text, result.text)
            words += score.words
            changed += score.changed_words
            for edit in result.edits:
                if edit.stage == "unspin":
                    key = (edit.before, edit.after)
                    lowered = (edit.before.lower(), edit.after.lower())
                    mark = "MINED" if key in mined_keys or lowered in mined_keys else ""
                    lines.append(f"  {path.name}: {edit.before!r} -> {edit.after!r} {mark}")
    lines.insert(0, f"clean texts: {words} words, {changed} changed")
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("pairs", type=Path, nargs="+", help="folders of real (original, spun) pairs")
    ap.add_argument("--team", type=Path, default=REPO / "corpus/spun")
    ap.add_argument("--clean", type=Path, action="append", default=[REPO / "corpus/clean"])
    ap.add_argument("--rejected", type=Path, default=REPO / "sources/mined-rejected.tsv")
    ap.add_argument(
        "--details",
        type=Path,
        help="write every scored spot of the real pairs (LOPO) here, one per line",
    )
    args = ap.parse_args(argv)

    pages = [p for folder in args.pairs for p in mine_pairs.read_pairs(folder)]
    rejected = build_lexicon.read_rejected(args.rejected)
    curated, pps = base_rows()

    use_rows(curated + pps)
    use_page_counts((), rejected)
    real_before = score_pages(pages, textrepair.clean)
    team = team_pairs(args.team)
    team_before = score_pages(team, textrepair.clean)

    # Pages copying the same original are one group: leave the group out together.
    groups: dict[str, set[str]] = {}
    for p in pages:
        groups.setdefault(p.original_url or p.name, set()).add(p.name)
    real_after = {}
    for members in groups.values():
        mined = mined_without(pages, members)
        use_rows(lexicon_rows(curated, pps, mined, rejected))
        use_page_counts(mined, rejected, [p for p in pages if p.name not in members])
        real_after.update(score_pages([p for p in pages if p.name in members], textrepair.clean))

    all_mined = mined_without(pages, set())
    use_rows(lexicon_rows(curated, pps, all_mined, rejected))
    use_page_counts(all_mined, rejected, pages)
    team_after = score_pages(team, textrepair.clean)

    if args.details:
        args.details.write_text(details(real_after), encoding="utf-8")
    print("before: curated + PPS rows; after: + mined rows of the other pages (LOPO)")
    print("\n".join(report("real pairs", real_before, {k: real_after[k] for k in real_before})))
    print()
    print("\n".join(report("team pairs (rows of all real pages)", team_before, team_after)))
    print()
    mined_keys = {(m.spun, m.original) for m in all_mined}
    print("with all mined rows:")
    print("\n".join(clean_harm(args.clean, mined_keys)))
    use_rows(curated + pps)
    use_page_counts((), rejected)
    print("without mined rows (before):")
    print("\n".join(clean_harm(args.clean, mined_keys)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
