"""Deterministic benchmark inputs built from the team's own corpus texts.

Three kinds of input, each a list of article-sized documents (3-5 KB of UTF-8):

- ``clean``: clean English prose, from ``corpus/clean/*.clean.txt``;
- ``spun``: synonym-spun news prose, from ``corpus/spun/*.spun.txt``, so the spin
  density is the corpus's own (the seed article's, which the team imitated);
- ``damaged``: the ``clean`` documents with deterministic mojibake and glue damage.

Documents are built by sampling paragraphs, and paragraphs recomposed from sampled
sentences, with a fixed seed, so that a few MB of input does not repeat the same
article over and over (which would make per-document work unrealistically cheap) and
every run sees the same text. Nothing here is copied from web pages.

    python benchmarks/make_inputs.py --kind spun --mb 5 > spun.txt
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"

KINDS = ("clean", "spun", "damaged")

# Article-sized documents, as users and the CLI pass them to clean().
DOC_MIN_BYTES = 3000
DOC_MAX_BYTES = 5000

# Share of paragraphs recomposed from sampled sentences (the rest are whole paragraphs).
RECOMPOSED_SHARE = 0.5

# Damage for the "damaged" kind: share of non-ASCII-bearing paragraphs whose words with
# non-ASCII characters become mojibake, and glued token pairs per document.
MOJIBAKE_SHARE = 0.5
CAMEL_GLUES_PER_DOC = 2
SENTENCE_GLUES_PER_DOC = 2

_SENTENCE_END = re.compile(r"(?<=[.!?])(?:[\u201d\"']?)\s+(?=[\u201c\"A-Z0-9])")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_NON_ASCII_WORD = re.compile(r"\S*[^\x00-\x7f]\S*")
# "word Name" where a glue split would apply: lowercase word of 3+ letters, capitalised word.
_CAMEL_SPOT = re.compile(r"\b([a-z]{3,}) ([A-Z][a-z]{2,})\b")
_SENTENCE_SPOT = re.compile(r"\b([a-z]{3,})\. (The|This|In|But|He|She|It|They|We)\b")


def _source_files(kind: str) -> list[Path]:
    pattern = "spun/*.spun.txt" if kind == "spun" else "clean/*.clean.txt"
    files = sorted(CORPUS.glob(pattern))
    if not files:
        raise SystemExit(f"no corpus files match corpus/{pattern}")
    return files


def _pools(kind: str) -> tuple[list[str], list[str]]:
    """Paragraphs and sentences of the corpus files for `kind`."""
    paragraphs: list[str] = []
    for path in _source_files(kind):
        text = path.read_text(encoding="utf-8")
        paragraphs.extend(p.strip() for p in _PARAGRAPH_BREAK.split(text) if p.strip())
    sentences = [s.strip() for p in paragraphs for s in _SENTENCE_END.split(p) if s.strip()]
    return paragraphs, sentences


def documents(kind: str, total_bytes: int, seed: int = 20240601) -> Iterator[str]:
    """Documents of `kind` until about `total_bytes` of UTF-8, deterministically."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}")
    base = "spun" if kind == "spun" else "clean"
    paragraphs, sentences = _pools(base)
    rng = random.Random(f"{seed}-{base}")
    damage_rng = random.Random(f"{seed}-damage")
    produced = 0
    while produced < total_bytes:
        target = rng.randint(DOC_MIN_BYTES, DOC_MAX_BYTES)
        parts: list[str] = []
        size = 0
        while size < target:
            if rng.random() < RECOMPOSED_SHARE:
                paragraph = " ".join(rng.sample(sentences, rng.randint(2, 5)))
            else:
                paragraph = rng.choice(paragraphs)
            parts.append(paragraph)
            size += len(paragraph.encode("utf-8")) + 2
        document = "\n\n".join(parts) + "\n"
        if kind == "damaged":
            document = damage(document, damage_rng)
        produced += len(document.encode("utf-8"))
        yield document


def mojibake(word: str) -> str:
    """UTF-8 read as Windows-1252, as a browser does it (undefined bytes kept as C1)."""
    import ftfy.bad_codecs  # noqa: F401  registers sloppy-windows-1252

    return word.encode("utf-8").decode("sloppy-windows-1252")


def damage(document: str, rng: random.Random) -> str:
    """Deterministic mojibake and glue damage on a clean document."""
    paragraphs = document.split("\n\n")
    for index, paragraph in enumerate(paragraphs):
        if not paragraph.isascii() and rng.random() < MOJIBAKE_SHARE:
            paragraphs[index] = _NON_ASCII_WORD.sub(lambda m: mojibake(m.group()), paragraph)
    document = "\n\n".join(paragraphs)
    document = _glue(document, _CAMEL_SPOT, r"\1\2", CAMEL_GLUES_PER_DOC, rng)
    return _glue(document, _SENTENCE_SPOT, r"\1.\2", SENTENCE_GLUES_PER_DOC, rng)


def _glue(document: str, spot: re.Pattern[str], joined: str, count: int, rng: random.Random) -> str:
    matches = list(spot.finditer(document))
    chosen = sorted(rng.sample(matches, min(count, len(matches))), key=lambda m: m.start())
    out: list[str] = []
    position = 0
    for match in chosen:
        out.append(document[position : match.start()])
        out.append(match.expand(joined))
        position = match.end()
    out.append(document[position:])
    return "".join(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kind", choices=KINDS, default="clean")
    parser.add_argument("--mb", type=float, default=5.0, help="about this many MB (default 5)")
    parser.add_argument("--seed", type=int, default=20240601)
    args = parser.parse_args()
    out = sys.stdout.buffer
    for document in documents(args.kind, int(args.mb * 1e6), args.seed):
        out.write(document.encode("utf-8") + b"\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
