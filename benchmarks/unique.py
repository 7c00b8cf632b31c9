"""Throughput on unique documents: textrepair.clean against ftfy.fix_text, one run.

    python benchmarks/unique.py             # every kind and size, 5 MB included (minutes)
    python benchmarks/unique.py --quick     # smaller totals, no 5 MB documents
    python benchmarks/unique.py --json out.json

No document, paragraph or sentence is seen twice in a measurement, so the process-wide
caches (the scorer's remembered model answers, the model's token cache) only help as
they would on a real crawl. Each measurement (a kind at a document size) runs in a fresh
process whose tables are loaded and warmed on an unrelated sentence before the clock
starts; ftfy and textrepair take turns on each document in that process, and the figure
is CPU time (`time.process_time`), the stable one on a shared machine.

Kinds (nothing is downloaded; the prose is read from an installed package):

- clean news: the real clean corpus, corpus/real/clean/*.txt (public-domain and openly
  licensed government and news pages; see corpus/real/README.md);
- clean prose: English prose paragraphs of the Python 3.11 and Perl 5.36 manuals, from
  Debian's python3.11-doc (PSF licence) and perl-doc (GPL or Artistic) packages
  (`apt-get install python3.11-doc perl-doc`), read where the packages install them and
  never copied into the repository: code, tables and headings are dropped;
- clean dense: the paragraphs of both, news and prose, densest in words that spinners
  write (the curated lexicon's spun forms, used genuinely): where unspinning is tempted;
- spun news / spun prose: those texts through `textrepair.strategies.spin_text`, the
  curated-lexicon spinner, at its default rate;
- damaged: news and prose with mojibake and glue (benchmarks/make_inputs.damage);
- recycled (cache-hit case): the old make_inputs.py documents, recomposed from the small
  team corpus, whose sentences repeat: kept only to show what the caches buy.

Per-call overhead: distinct 50-byte sentences, one call each.
"""

from __future__ import annotations

import argparse
import gzip
import html
import itertools
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import make_inputs  # beside this script, so on its path

ROOT = make_inputs.ROOT
SRC = ROOT / "src"
# A source checkout works without installing (an installed textrepair comes first).
sys.path.append(str(SRC))

# Where Debian's python3.11-doc puts the manual's reST sources, and perl-doc its pods.
PROSE_DIR = Path("/usr/share/doc/python3.11/html/_sources")
POD_DIR = Path("/usr/share/perl/5.36.0/pod")
# More English prose, for `jobs.py` (20 MB, more than the pools above hold) and for the
# harm measured by `simulated.py --kinds manuals`: the Linux kernel's documentation
# (reST, gzipped; its translations left out) from Debian's linux-doc-6.1, and the HTML
# manuals of python-django-doc and postgresql-doc-15. Read where the packages install
# them, never copied here.
KERNEL_DIR = Path("/usr/share/doc/linux-doc-6.1/Documentation")
HTML_DIRS = (
    Path("/usr/share/doc/python-django-doc/html"),
    Path("/usr/share/doc/postgresql-doc-15/html"),
)
MORE_PROSE_PACKAGES = "linux-doc-6.1 python-django-doc postgresql-doc-15"
# The real clean corpus of this checkout.
REAL_DIRS = (ROOT / "corpus" / "real" / "clean",)

SIZES = {"1 KB": 1_000, "10 KB": 10_000, "100 KB": 100_000, "5 MB": 5_000_000}
# Bytes measured per document size (full run; --quick divides by QUICK_DIVISOR and
# skips the 5 MB documents): enough documents that one odd document does not decide.
TOTALS = {"1 KB": 200_000, "10 KB": 400_000, "100 KB": 800_000, "5 MB": 5_000_000}
QUICK_DIVISOR = 5
KINDS = ("clean news", "clean prose", "clean dense", "spun news", "spun prose", "damaged")
# Share of paragraphs kept as "clean dense": the densest tenth in spinner-output words.
DENSE_SHARE = 0.1
OVERHEAD_BYTES = 50
OVERHEAD_CALLS = 2000
SEED = 20261202
WARM_UP = (
    "The US has carried out air strikes towards Iran-linked militia teams in japanese "
    "Syria in retaliation for latest assaults on American personnel."
)

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"\u201c])")
_ROLE = re.compile(r":[\w:.+-]+:`~?!?([^`<]*?)\s*(?:<[^>]*>)?`")
_LINK = re.compile(r"`([^`<]+?)\s*<[^>]*>`__?")
_LITERAL = re.compile(r"``([^`]+)``")
_EMPHASIS = re.compile(r"\*\*?([^*\n]+)\*\*?")
_DECORATION = re.compile(r"^[=\-~^*#+`'\".:_|]{3,}\s*$")
_PROSE_CHARS = re.compile(r"[A-Za-z ,.;:'\"()?!\-]")


def _rst_paragraphs(text: str) -> Iterator[str]:
    """The prose paragraphs of a reST file: no code, directives, tables or headings."""
    for block in re.split(r"\n\s*\n", text):
        lines = block.split("\n")
        if not block.strip() or block[:1].isspace() or block.startswith(".."):
            continue
        if any(_DECORATION.match(line) or line.lstrip()[:1] in "+|>" for line in lines):
            continue
        paragraph = " ".join(line.strip() for line in lines)
        paragraph = _LITERAL.sub(r"\1", _LINK.sub(r"\1", _ROLE.sub(r"\1", paragraph)))
        paragraph = _EMPHASIS.sub(r"\1", paragraph).replace("::", ":")
        if _is_prose(paragraph):
            yield paragraph


def _is_prose(paragraph: str) -> bool:
    """At least 20 words, nine characters in ten letters, spaces or plain punctuation."""
    return len(paragraph.split()) >= 20 and len(_PROSE_CHARS.findall(paragraph)) >= 0.9 * len(
        paragraph
    )


_POD_CODE = re.compile(r"[A-Z]<+(?:[^|<>]*\|)?([^<>]*?)>+")


def _pod_paragraphs(text: str) -> Iterator[str]:
    """The prose paragraphs of a pod file: no verbatim blocks or commands."""
    for block in re.split(r"\n\s*\n", text):
        if not block.strip() or block[:1].isspace() or block.startswith("="):
            continue
        paragraph = " ".join(line.strip() for line in block.split("\n"))
        for _ in range(3):  # nested codes: B<C<...>>
            paragraph = _POD_CODE.sub(r"\1", paragraph)
        if _is_prose(paragraph):
            yield paragraph


_HTML_PARAGRAPH = re.compile(r"<p>(.*?)</p>", re.S)
_HTML_TAG = re.compile(r"<[^>]+>")


def _html_paragraphs(text: str) -> Iterator[str]:
    """The prose paragraphs of an HTML page: its <p> elements, tags removed."""
    for match in _HTML_PARAGRAPH.finditer(text):
        paragraph = " ".join(html.unescape(_HTML_TAG.sub("", match.group(1))).split())
        if _is_prose(paragraph):
            yield paragraph


def _unique(paragraphs: Iterator[str], seen: set[str]) -> list[str]:
    """Paragraphs none of whose sentences was seen before (`seen` is updated)."""
    kept = []
    for paragraph in paragraphs:
        sentences = [s.strip() for s in _SENTENCE_END.split(paragraph) if s.strip()]
        if any(sentence in seen for sentence in sentences):
            continue
        seen.update(sentences)
        kept.append(paragraph)
    return kept


def source_paragraphs(more_prose: bool = False) -> dict[str, list[str]]:
    """News and prose paragraphs, every sentence once across both (with `more_prose`,
    also the paragraphs of the `MORE_PROSE_PACKAGES`, as "more")."""
    if not PROSE_DIR.is_dir() or not POD_DIR.is_dir():
        raise SystemExit(f"no {PROSE_DIR} or {POD_DIR}: apt-get install python3.11-doc perl-doc")
    real = next((d for d in REAL_DIRS if d.is_dir() and any(d.glob("*.txt"))), None)
    if real is None:
        raise SystemExit(f"no real clean corpus in {' or '.join(map(str, REAL_DIRS))}")
    seen: set[str] = set()
    news = _unique(
        (
            paragraph.strip()
            for path in sorted(real.glob("*.txt"))
            for paragraph in re.split(r"\n\s*\n", path.read_text(encoding="utf-8"))
            if paragraph.strip()
        ),
        seen,
    )
    rst = (
        paragraph
        for path in sorted(PROSE_DIR.rglob("*.rst.txt"))
        for paragraph in _rst_paragraphs(path.read_text(encoding="utf-8", errors="replace"))
    )
    pod = (
        paragraph
        for path in sorted(POD_DIR.glob("*.pod"))
        for paragraph in _pod_paragraphs(path.read_text(encoding="utf-8", errors="replace"))
    )
    prose = _unique(itertools.chain(rst, pod), seen)
    pools = {"news": news, "prose": prose, "real_dir": [str(real)]}
    if more_prose:
        if not KERNEL_DIR.is_dir() or not all(d.is_dir() for d in HTML_DIRS):
            raise SystemExit(f"no more prose: apt-get install {MORE_PROSE_PACKAGES}")
        kernel = (
            paragraph
            for path in sorted(KERNEL_DIR.rglob("*.rst.gz"))
            if "translations" not in path.parts
            for paragraph in _rst_paragraphs(
                gzip.decompress(path.read_bytes()).decode("utf-8", "replace")
            )
        )
        pages = (
            paragraph
            for directory in HTML_DIRS
            for path in sorted(directory.rglob("*.html"))
            for paragraph in _html_paragraphs(path.read_text(encoding="utf-8", errors="replace"))
        )
        pools["more"] = _unique(itertools.chain(kernel, pages), seen)
    return pools


def dense_paragraphs(paragraphs: list[str]) -> list[str]:
    """The `DENSE_SHARE` of `paragraphs` densest in the curated lexicon's spun forms."""
    from textrepair.lexicon import default_lexicon

    spun_words = {
        row.spun.lower()
        for row in default_lexicon()
        if row.source in {"news", "other"} and " " not in row.spun
    }

    def density(paragraph: str) -> float:
        words = re.findall(r"[a-z]+", paragraph.lower())
        return sum(word in spun_words for word in words) / max(len(words), 1)

    ranked = sorted((p for p in paragraphs if len(p.split()) >= 20), key=density, reverse=True)
    return ranked[: max(1, int(len(ranked) * DENSE_SHARE))]


def documents(paragraphs: list[str], size: int, total: int) -> list[str]:
    """Documents of at least `size` bytes from consecutive paragraphs, up to `total`."""
    docs: list[str] = []
    parts: list[str] = []
    length = produced = 0
    for paragraph in paragraphs:
        parts.append(paragraph)
        length += len(paragraph.encode("utf-8")) + 2
        if length >= size:
            docs.append("\n\n".join(parts) + "\n")
            produced += length
            parts, length = [], 0
            if produced >= total:
                break
    return docs


def cell_documents(kind: str, size: int, total: int, pools: dict[str, list[str]]) -> list[str]:
    """The documents of one measurement (an empty list when the sources are too small)."""
    rng = random.Random(f"{SEED}-{kind}-{size}")
    # News and prose taken in turns, then the rest of the (longer) prose.
    news, prose = pools["news"], pools["prose"]
    mixed = [p for pair in zip(news, prose, strict=False) for p in pair] + prose[len(news) :]
    if kind == "clean news":
        return documents(pools["news"], size, total)
    if kind == "clean prose":
        return documents(pools["prose"], size, total)
    if kind == "clean dense":
        return documents(pools["dense"], size, total)
    if kind in ("spun news", "spun prose"):
        from textrepair.strategies import spin_text

        source = pools["news" if kind == "spun news" else "prose"]
        return [
            spin_text(doc, seed=f"{SEED}-{index}")
            for index, doc in enumerate(documents(source, size, total))
        ]
    if kind == "damaged":
        return [make_inputs.damage(doc, rng) for doc in documents(mixed, size, total)]
    if kind == "recycled":
        return list(make_inputs.documents("spun", total))
    raise ValueError(kind)


def overhead_strings(prose: list[str]) -> list[str]:
    """Distinct sentences cut to about `OVERHEAD_BYTES` at a word boundary."""
    out: list[str] = []
    for paragraph in prose:
        for sentence in _SENTENCE_END.split(paragraph):
            if len(sentence) >= OVERHEAD_BYTES:
                out.append(sentence[: sentence.rfind(" ", 0, OVERHEAD_BYTES)] + ".")
                if len(out) == OVERHEAD_CALLS:
                    return out
    return out


# ----------------------------------------------------------------------- child process


def measure(path: str) -> dict[str, float]:
    """Time ftfy and textrepair on the documents in `path` (run in a fresh process)."""
    import gc

    import ftfy

    import textrepair
    from textrepair.options import Options
    from textrepair.pipeline import prepare

    docs = json.loads(Path(path).read_text(encoding="utf-8"))
    prepare(Options())
    textrepair.clean(WARM_UP)
    ftfy.fix_text(WARM_UP)
    if os.environ.get("TEXTREPAIR_BENCH_FREEZE"):
        gc.freeze()  # the tables out of the collector's way (see docs/performance.md)
    ftfy_s = clean_s = 0.0
    changed = 0
    for doc in docs:
        start = time.process_time()
        ftfy.fix_text(doc)
        middle = time.process_time()
        out = textrepair.clean(doc)
        clean_s += time.process_time() - middle
        ftfy_s += middle - start
        changed += out != doc
    size = sum(len(doc.encode("utf-8")) for doc in docs)
    return {
        "docs": len(docs),
        "bytes": size,
        "ftfy_s": ftfy_s,
        "clean_s": clean_s,
        "changed_docs": changed,
    }


def run_cell(docs: list[str], freeze: bool, src: Path) -> dict[str, float]:
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as fh:
        json.dump(docs, fh)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(src), env.get("PYTHONPATH")) if p)
    if freeze:
        env["TEXTREPAIR_BENCH_FREEZE"] = "1"
    try:
        out = subprocess.run(
            [sys.executable, __file__, "--measure", fh.name],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    finally:
        os.unlink(fh.name)
    return json.loads(out)


def ratio_cell(result: dict[str, float]) -> str:
    mbps = result["bytes"] / 1e6 / result["clean_s"]
    changed = f", {result['changed_docs']} changed" if "changed_docs" in result else ""
    docs = f"{result['docs']} docs{changed}"
    return f"{result['ftfy_s'] / result['clean_s']:.2f}x ({mbps:.2f} MB/s, {docs})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller totals, no 5 MB documents")
    parser.add_argument("--kinds", nargs="*", default=[*KINDS, "recycled"])
    parser.add_argument("--sizes", nargs="*", default=list(SIZES))
    parser.add_argument(
        "--freeze",
        choices=("no", "yes", "both"),
        default="no",
        help="gc.freeze() after warming (both: each checkout without, then with)",
    )
    parser.add_argument("--json", type=Path, help="write every measurement here")
    parser.add_argument(
        "--src",
        type=Path,
        nargs="+",
        default=[SRC],
        help="time the textrepair in these src/ directories, in turns on each measurement",
    )
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure)))
        return 0
    pools = source_paragraphs()
    pools["dense"] = dense_paragraphs(pools["news"] + pools["prose"])
    freezes = {"no": [False], "yes": [True], "both": [False, True]}[args.freeze]
    variants = [(src, freeze) for src in args.src for freeze in freezes]
    names = [f"{src}{' + gc.freeze()' if freeze else ''}" for src, freeze in variants]
    print(f"textrepair from {', '.join(names)}")
    print(
        f"sources: {pools['real_dir'][0]}: {len(pools['news'])} paragraphs,"
        f" {sum(map(len, pools['news'])) / 1e6:.2f} MB; {PROSE_DIR} and {POD_DIR}:"
        f" {len(pools['prose'])} paragraphs, {sum(map(len, pools['prose'])) / 1e6:.2f} MB;"
        f" dense: {len(pools['dense'])} paragraphs",
        flush=True,
    )
    sizes = [s for s in args.sizes if not (args.quick and s == "5 MB")]
    results: dict[str, dict[str, dict[str, list[dict[str, float]]]]] = {}
    for kind in args.kinds:
        results[kind] = {}
        for label in ["10 KB"] if kind == "recycled" else sizes:
            total = TOTALS[label] // (QUICK_DIVISOR if args.quick else 1)
            docs = cell_documents(kind, SIZES[label], total, pools)
            runs = [run_cell(docs, freeze, src) for src, freeze in variants] if docs else []
            results[kind][label] = runs
            shown = " | ".join(map(ratio_cell, runs)) or "n/a (too little unique text)"
            print(f"{kind:12} {label:>6}: {shown}", flush=True)
    short = overhead_strings(pools["prose"])
    overheads = [run_cell(short, freeze, src) for src, freeze in variants]
    for index, name in enumerate(names):
        print(f"\n{name}:\n\n| kind | " + " | ".join(sizes) + " |")
        print("|---|" + "---|" * len(sizes))
        for kind, row in results.items():
            name = "recycled (cache-hit case, 3-5 KB docs)" if kind == "recycled" else kind
            cells = [cells_of(row, s, index) for s in sizes]
            if kind == "recycled":
                cells = [cells_of(row, "10 KB", index)] + [""] * (len(sizes) - 1)
            print(f"| {name} | " + " | ".join(cells) + " |")
        overhead = overheads[index]
        calls = overhead["docs"]
        print(
            f"\nper call, {calls} distinct ~{OVERHEAD_BYTES}-byte sentences: ftfy"
            f" {overhead['ftfy_s'] / calls * 1e6:.0f} us, textrepair"
            f" {overhead['clean_s'] / calls * 1e6:.0f} us ({ratio_cell(overhead)})"
        )
    if args.json:
        data = {"variants": names, "cells": results, "overhead": overheads}
        args.json.write_text(json.dumps(data, indent=1))
    return 0


def cells_of(row: dict[str, list[dict[str, float]]], label: str, index: int) -> str:
    return ratio_cell(row[label][index]) if row.get(label) else "n/a"


if __name__ == "__main__":
    raise SystemExit(main())
