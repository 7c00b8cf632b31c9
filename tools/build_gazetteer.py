#!/usr/bin/env python3
"""Build ``src/textrepair/data/gazetteer.tsv.gz``: multi-word names written whole.

A spinner swaps the words of "Department of Justice" one by one ("Division of
Justice"); the unspin stage restores such a span as one unit when its words map through
the lexicon to a name this table knows (`textrepair.stages.unspin.names`). Rows come from
three named sources, each row saying which:

* ``real-clean``: capitalised runs of two to six words ("House of Representatives",
  "Wall Street Journal") written in at least `MIN_DOCUMENTS` texts of the training part
  of the real clean corpus (US federal works in the public domain, ``corpus/real/``; the
  held-out part is never read, so the evaluation of clean text stays honest). The
  provenance is the number of texts and the URL of the first (by file name);
* ``real-clean`` also: spans of those texts, seen once or more, that would read as a
  spun name of the table ("Protected Childhood" for "Safe Childhood"), so that a real
  name as written is left whole (provenance: the first text's URL);
* ``lexicon``: the originals of the capitalised multi-word rows of the curated
  lexicon (``src/textrepair/data/lexicon.tsv.gz``; provenance: the spun form);
* ``mined``: the capitalised multi-word originals of rows mined from real spun pages
  (``sources/mined-pairs.tsv`` when present; provenance: the original's URL), and the
  names inside which the mining saw a word swapped that it kept out of the lexicon
  (``sources/mined-rejected.tsv``, "name change": "Getty Photographs" for "Getty
  Images"; provenance: the spun page's URL; the spun form in the ``spun`` column).

Run from the repository root: ``python tools/build_gazetteer.py [--real DIR]``. The
output is deterministic: the same inputs give the same bytes.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import re
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from mine_pairs import inserted  # noqa: E402

from textrepair.evaluation import real_texts  # noqa: E402
from textrepair.learn import FUNCTION_WORDS  # noqa: E402
from textrepair.lexicon import default_lexicon  # noqa: E402
from textrepair.stages.unspin.candidates import scan  # noqa: E402
from textrepair.stages.unspin.names import (  # noqa: E402
    CONNECTORS,
    MAX_WORDS,
    NAME_RUN,
    Gazetteer,
    name_candidates,
)

OUTPUT = REPO / "src" / "textrepair" / "data" / "gazetteer.tsv.gz"
MINED = REPO / "sources" / "mined-pairs.tsv"
REJECTED = REPO / "sources" / "mined-rejected.tsv"

# A name seen in one text only may be a headline or a one-off; two texts of different
# agencies writing it the same way make it a name. (Measured on the real corpus as of
# this build: at 2, 1,900-odd names; at 3, under half of them, losing "Getty Images".)
MIN_DOCUMENTS = 2


def names_in(text: str) -> set[str]:
    """The capitalised runs of `text` that could be names (two to `MAX_WORDS` words).

    A run starting a sentence may carry an ordinary capitalised first word ("Officials
    House Democrats"), so every run also gives its tail from the second capitalised word
    on; one-off tails are dropped later by the document count. An article or another
    function word never starts a name: "In May" and "On March" open sentences of many
    texts, and "In May" as a name would turn a spun "In Might and Magic" into "In May".

    >>> sorted(names_in("The Department of Justice said. Wall Street Journal reported."))
    ['Department of Justice', 'Street Journal', 'Wall Street Journal']
    >>> sorted(names_in("In Fiscal Year 2024 it grew. On May 3 it fell."))
    ['Fiscal Year']
    """
    found: set[str] = set()
    for match in NAME_RUN.finditer(text):
        words = match.group().split(" ")
        for start, word in enumerate(words):
            if word.lower() in FUNCTION_WORDS:  # articles and connectors among them
                continue
            tail = words[start:]
            while tail and tail[-1] in CONNECTORS:
                tail.pop()
            if 2 <= len(tail) <= MAX_WORDS and any(w not in CONNECTORS for w in tail[1:]):
                found.add(" ".join(tail))
            if start >= 1:
                break  # the run itself and its tail from the second word: enough
    return found


def _training_texts(real: Path) -> list[tuple[str, str]]:
    """(URL, text) of the training part's clean texts, by file name."""
    return [
        (row["url"], (real / row["file"]).read_text(encoding="utf-8"))
        for row in sorted(real_texts(real), key=lambda r: r["file"])
        if row["part"] == "train" and row["file"].startswith("clean/")
    ]


def corpus_rows(texts: list[tuple[str, str]]) -> list[tuple[str, str, str]]:
    """(name, "real-clean", provenance) for names in enough training texts."""
    documents: Counter[str] = Counter()
    first: dict[str, str] = {}
    for url, text in texts:
        for name in names_in(text):
            documents[name] += 1
            first.setdefault(name, url)
    return [
        (name, "real-clean", f"{count} texts, first {first[name]}")
        for name, count in documents.items()
        if count >= MIN_DOCUMENTS
    ]


def written_right_rows(
    texts: list[tuple[str, str]], table: Gazetteer
) -> list[tuple[str, str, str]]:
    """(span, "real-clean", provenance) for spans of clean text that would read as a spun
    name of `table` ("Protected Childhood" for "Safe Childhood"): real names as written,
    which the unspin stage must leave whole however often they occur."""
    lexicon = default_lexicon()
    first: dict[str, str] = {}
    for url, text in texts:
        found = scan(text, lexicon)
        for candidate in name_candidates(text, lexicon, found, table):
            if candidate not in found:
                first.setdefault(candidate.text, url)
    return [(span, "real-clean", f"written as is in {url}") for span, url in first.items()]


def _is_name(phrase: str) -> bool:
    """A multi-word phrase whose every word but connectors is capitalised."""
    words = phrase.split(" ")
    return len(words) >= 2 and all(w[:1].isupper() or w in CONNECTORS for w in words)


def lexicon_rows() -> list[tuple[str, str, str]]:
    """(original, "lexicon", spun form) for the curated name rows."""
    return [
        (row.original, "lexicon", f"spun form {row.spun!r}")
        for row in default_lexicon()
        if row.source in ("news", "other") and _is_name(row.spun) and _is_name(row.original)
    ]


def mined_rows(path: Path, rejected: Path) -> list[tuple[str, str, str, str]]:
    """(original, "mined", URL, spun) for mined name rows, if the tables are there.

    Besides the mined rows whose both sides are names, the mining kept out of the lexicon
    the word swaps that only happen inside one name ("Photographs" for "Images" in
    "Getty Photographs"); its reason quotes the spun name, which gives the name and
    the spun form together. The URL is the spun page the swap was seen on.
    """
    if not path.is_file():
        return []
    pairs = _tsv(path)
    rows = [
        (row["original"], "mined", row["original_urls"].split(" ")[0], "")
        for row in pairs
        if _is_name(row["spun"])
        and _is_name(row["original"])
        and not inserted(row["spun"], row["original"])  # "Arabia on Tuesday": no name
    ]
    urls = {(row["spun"], row["original"]): row["spun_urls"].split(" ")[0] for row in pairs}
    for row in _tsv(rejected) if rejected.is_file() else []:
        spun, original = row["spun"], row["original"]
        if not row["reason"].startswith("name change") or (spun, original) not in urls:
            continue
        for quoted in QUOTED.findall(row["reason"]):
            words = quoted.split(" ")
            if spun in words and _is_name(quoted):
                name = " ".join(original if w == spun else w for w in words)
                rows.append((name, "mined", urls[spun, original], quoted))
                break
    return rows


# A phrase quoted in a rejection's reason: "name change ('Getty Photographs' for ...)".
QUOTED = re.compile(r"'([^']+)'")


def _tsv(path: Path) -> list[dict[str, str]]:
    """The rows of a tab-separated table with a header, '#' comment lines skipped."""
    with open(path, encoding="utf-8", newline="") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


def build(real: Path, mined: Path, rejected: Path) -> bytes:
    """The gzipped table: one row per (name, spun form), the first source (in the order
    above) kept; the spun form is given where a spinner was seen to write one."""
    texts = _training_texts(real)
    found = [(*row, "") for row in sorted(corpus_rows(texts)) + sorted(lexicon_rows())]
    found += sorted(mined_rows(mined, rejected))
    found += [(*row, "") for row in sorted(written_right_rows(texts, Gazetteer.from_rows(found)))]
    rows: dict[tuple[str, str], tuple[str, str]] = {}
    for name, source, provenance, spun in found:
        rows.setdefault((name, spun), (source, provenance))
    out = io.StringIO()
    out.write("name\tsource\tprovenance\tspun\n")
    for name, spun in sorted(rows):
        source, provenance = rows[name, spun]
        out.write(f"{name}\t{source}\t{provenance}\t{spun}\n")
    return gzip.compress(out.getvalue().encode("utf-8"), mtime=0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--real", type=Path, default=REPO / "corpus" / "real")
    parser.add_argument("--mined", type=Path, default=MINED)
    parser.add_argument("--rejected", type=Path, default=REJECTED)
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    data = build(args.real, args.mined, args.rejected)
    args.output.write_bytes(data)
    count = gzip.decompress(data).decode("utf-8").count("\n") - 1
    print(f"{args.output}: {count} names")


if __name__ == "__main__":
    main()
