"""Restoration and harm on unique documents: simulated spinning, and clean text unchanged.

    python benchmarks/simulated.py            # news and prose, 1 KB and 10 KB documents
    python benchmarks/simulated.py --kinds news --sizes "1 KB"

The documents are benchmarks/unique.py's (the real clean corpus as news; paragraphs of the
Python and Perl manuals as prose; the tenth of both densest in spinner-output words as
dense; with ``--kinds manuals``, the kernel, Django and PostgreSQL manuals of
`unique.MORE_PROSE_PACKAGES`, 2.35 M words; no sentence seen twice). A size of
"paragraph" makes each paragraph a document, as a pipeline of paragraph records has it.
For each kind and size it prints:

- clean: the words the unspin stage changes in the documents as they are (every one is
  harm: the documents are clean);
- spun 0.5 / spun 0.15: each document through `textrepair.strategies.spin_text` at that
  rate, scored against the document itself (textrepair.evaluation's counting);
- comment: a clean document with one paragraph of the next document, spun at 0.5, below
  it (a spun comment on a clean page).

The spinner is the curated lexicon's, not a real one: these figures show changes in the
gate's behaviour on text that nobody on the team wrote, not the tool's accuracy on real
spun pages (see docs/evaluation.md for those).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterable

import unique  # beside this script, so on its path; it puts a checkout's src/ on sys.path

import textrepair
from textrepair.evaluation import Score, score_pair
from textrepair.strategies import spin_text

# Bytes of documents per kind and size: a few hundred 1 KB documents, a few dozen 10 KB.
TOTALS = {"paragraph": 150_000, "1 KB": 150_000, "10 KB": 300_000}
# Document sizes (bytes): a paragraph each, or consecutive paragraphs up to a size.
SIZES = {"paragraph": 1, **unique.SIZES}
# The clean check reads every unique document of the pools (about 1.2 M words of prose).
CLEAN_TOTAL = 10_000_000
RATES = (0.5, 0.15)


def total(scores: Iterable[Score]) -> str:
    score = Score()
    for one in scores:
        score.add(one)
    return (
        f"P {score.precision:.3f} R {score.recall:.3f} "
        f"(TP {score.tp}, WRONG {score.wrong}, FP {score.fp}, FN {score.fn})"
    )


def changed_words(docs: list[str]) -> tuple[int, int]:
    """(words, words the unspin stage changed) over `docs`."""
    words = changed = 0
    for doc in docs:
        words += len(doc.split())
        edits = textrepair.repair(doc).edits
        changed += sum(len(e.before.split()) for e in edits if e.stage == "unspin")
    return words, changed


def commented(docs: list[str], spin: Callable[[str, str], str]) -> list[Score]:
    """Each document with the next one's first paragraph, spun, below it."""
    scores = []
    for index, doc in enumerate(docs[:-1]):
        paragraph = docs[index + 1].split("\n\n")[0]
        spun = f"{doc}\n{spin(paragraph, f'comment-{index}')}\n"
        reference = f"{doc}\n{paragraph}\n"
        scores.append(score_pair(spun, reference, textrepair.clean(spun)))
    return scores


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kinds", nargs="*", default=["news", "prose", "dense"])
    parser.add_argument("--sizes", nargs="*", default=["1 KB", "10 KB"])
    args = parser.parse_args()
    pools = unique.source_paragraphs(more_prose="manuals" in args.kinds)
    pools["dense"] = unique.dense_paragraphs(pools["news"] + pools["prose"])
    pools["manuals"] = pools.get("more", [])
    for kind in args.kinds:
        for label in args.sizes:
            size = SIZES[label]
            words, changed = changed_words(unique.documents(pools[kind], size, CLEAN_TOTAL))
            print(f"{kind:5} {label:>5} clean: {changed} of {words} words changed", flush=True)
            docs = unique.documents(pools[kind], size, TOTALS[label])
            for rate in RATES:
                scores = [
                    score_pair(spun, doc, textrepair.clean(spun))
                    for index, doc in enumerate(docs)
                    for spun in [spin_text(doc, rate=rate, seed=f"doc-{index}")]
                ]
                print(f"{kind:5} {label:>5} spun {rate}: {total(scores)}", flush=True)
            scores = commented(docs, lambda text, seed: spin_text(text, rate=0.5, seed=seed))
            print(f"{kind:5} {label:>5} comment: {total(scores)}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
