"""Reverse-synonym lexicon: which spun phrases to look for and what they may have replaced.

A :class:`Lexicon` holds :class:`Substitution` rows (spun -> original, with the source family,
a prior and an optional context condition) and finds every spun phrase of a text in one
automaton scan (:meth:`Lexicon.finditer`). The shipped table is ``data/lexicon.tsv.gz``, built
by ``tools/build_lexicon.py``; :func:`default_lexicon` loads it once per process.

Case rules: a spun form written in lowercase matches any capitalisation ("stated" matches
"Stated"); a spun form containing a capital is a case-sensitive name ("Center East").

Context DSL (``Substitution.context``): space-separated clauses that must all hold for the
document's set of lowercase words. ``+w`` the document contains ``w``; ``+a|b`` it contains
``a`` or ``b``; ``-w`` it does not contain ``w``. A term may be a phrase with words joined by
``_`` (``+surface_area``), which is approximated as "all of these words occur somewhere in
the document" (PPS proximity ``~N`` is approximated the same way).
"""

from __future__ import annotations

import functools
import gzip
import importlib.resources
import itertools
import os
import re
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import ahocorasick

__all__ = [
    "Lexicon",
    "LexiconError",
    "Match",
    "Substitution",
    "default_lexicon",
    "document_words",
    "selected_lexicon",
    "thesaurus_lexicon",
]

_DEFAULT_RESOURCE = "lexicon.tsv.gz"
_THESAURUS_RESOURCE = "lexicon-thesaurus.tsv.gz"
_HEADER = ("spun", "original", "source", "prior", "context")

# The longest row a user lexicon may have, in bytes. The shipped table's longest is 164;
# spinners replace phrases of one to four words. The cap keeps a stray binary or
# one-line file from becoming a giant automaton key (a 1 MB key crashes pyahocorasick
# when the automaton is freed) and bounds the memory a row read takes.
MAX_ROW_BYTES = 2_000

# Scanning runs on a normalised copy of the text of the same length: lowercased, with tab,
# line breaks and no-break space turned into a space and "U+2019" into "'". The automaton's
# keys are then plain lowercase strings, whatever the case and spacing of the text. A
# phrase wrapped at a line break inside a paragraph still matches; "\r\n" inside a phrase
# (two characters) does not.
_FOLD_TO_SPACE = ("\t", "\n", "\r", "\xa0")
# Word boundaries: letters, digits and "_" are word characters; an apostrophe is one only
# between word characters ("don't", "team's"), so a quoted 'teams' still matches.
_SPACE_RE = re.compile(r"[ \t\xa0\r\n]+")
# The automaton runs over a second copy in which every character outside a word is a
# space (`_spaced`), and looks for each key with a space on either side: it then reports
# only hits that begin and end at word boundaries, not every short key inside every word
# ("in" in "within", "home" in "homework"), which cut the hits Python checks by a third
# to a half on news (see docs/performance.md).
# Built with C-speed passes only: a byte table for ASCII, one regex for the rest.
_ASCII_OUTSIDE_WORD = bytes(
    c if c >= 128 or chr(c).isalnum() or chr(c) in "_'" else ord(" ") for c in range(256)
)
_NON_ASCII_OUTSIDE_WORD = re.compile(r"[^\x00-\x7f\w]")
_TERM_RE = re.compile(r"[^\W_](?:[\w'\u2019-]*[^\W_])?")


class LexiconError(ValueError):
    """A user lexicon that cannot be read; ``str()`` is ``"FILE:LINE: what is wrong"``."""

    def __init__(self, path: str, line: int, problem: str) -> None:
        super().__init__(f"{path}:{line}: {problem}")
        self.path, self.line, self.problem = path, line, problem

    def __reduce__(self) -> tuple[type[LexiconError], tuple[str, int, str]]:
        return type(self), (self.path, self.line, self.problem)  # crosses process pools


@dataclass(frozen=True, slots=True)
class Substitution:
    """One lexicon row: ``original`` may have been spun into ``spun``."""

    spun: str  # as in the table
    original: str
    source: str  # news | other | moby | wordnet | pps | user
    prior: float  # in (0, 1]: plausibility of this origin for an occurrence of spun
    context: str  # "" when unconditional, else a context DSL condition (module doc)


@dataclass(frozen=True, slots=True)
class Match:
    """A spun phrase found in a text: ``text[start:end]`` and its candidate originals."""

    start: int
    end: int
    text: str
    substitutions: tuple[Substitution, ...]


def _norm(phrase: str) -> str:
    """Key form of a phrase: single spaces, straight apostrophes (the matcher accepts both)."""
    return _SPACE_RE.sub(" ", phrase.strip()).replace("\u2019", "'")


def _fold(text: str) -> str:
    """Same-length scanning form of a text (see _FOLD_TO_SPACE)."""
    folded = text.lower()
    if len(folded) != len(text):  # "İ" lowercases to two characters
        folded = text.replace("İ", "I").lower()
    for ch in _FOLD_TO_SPACE:
        if ch in folded:
            folded = folded.replace(ch, " ")
    return folded.replace("\u2019", "'") if "\u2019" in folded else folded


def _spaced(folded: str) -> str:
    """The folded text with every character outside a word a space, between two spaces."""
    if folded.isascii():
        spaced = folded.encode("ascii").translate(_ASCII_OUTSIDE_WORD).decode("ascii")
    else:  # the table leaves the bytes of other characters alone
        spaced = folded.encode("utf-8", "surrogatepass").translate(_ASCII_OUTSIDE_WORD)
        spaced = _NON_ASCII_OUTSIDE_WORD.sub(" ", spaced.decode("utf-8", "surrogatepass"))
    spaced = f" {spaced} "
    if "'" in spaced:
        # An apostrophe is outside a word unless it has a word character on either side:
        # a pair has none, and then a lone one beside a space has none on that side.
        spaced = spaced.replace("''", "  ").replace(" '", "  ").replace("' ", "  ")
    return spaced


def document_words(text: str) -> frozenset[str]:
    """Lowercase word set of a document, as :meth:`Lexicon.context_allows` expects it."""
    return frozenset(m.group(0).lower().replace("\u2019", "'") for m in _TERM_RE.finditer(text))


@functools.lru_cache(maxsize=4096)
def _parse_context(context: str) -> tuple[tuple[bool, tuple[tuple[str, ...], ...]], ...]:
    """Clauses as (required?, alternatives), each alternative a tuple of words (all needed).

    Cached: the same few hundred PPS conditions are checked for every document.
    """
    clauses = []
    for clause in context.split():
        sign, body = clause[0], clause[1:]
        if sign not in "+-" or not body:
            raise ValueError(f"bad context clause {clause!r} (want +term, +a|b or -term)")
        alts = tuple(tuple(w for w in alt.lower().split("_") if w) for alt in body.split("|"))
        if not all(alts) or (sign == "-" and len(alts) > 1):
            raise ValueError(f"bad context clause {clause!r}")
        clauses.append((sign == "+", alts))
    return tuple(clauses)


class Lexicon:
    """Spun-phrase lookup and scanning over a set of substitutions."""

    __slots__ = ("__weakref__", "_automaton", "_exact", "_exact_folded", "_folded", "_subs")

    def __init__(self, substitutions: Iterable[Substitution]) -> None:
        subs = tuple(dict.fromkeys(substitutions))  # drop exact duplicates, keep order
        folded: dict[str, list[Substitution]] = {}  # lowercase keys: match any case
        exact: dict[str, list[Substitution]] = {}  # keys with capitals: case-sensitive
        for sub in subs:
            key = _norm(sub.spun)
            if not key:
                raise ValueError(f"empty spun phrase in {sub!r}")
            if key == key.lower():
                folded.setdefault(key, []).append(sub)
            else:
                exact.setdefault(key, []).append(sub)
        self._subs = subs
        self._folded = {k: tuple(v) for k, v in folded.items()}
        self._exact = {k: tuple(v) for k, v in exact.items()}
        self._exact_folded = frozenset(_fold(k) for k in exact)  # hits that need a case check
        self._automaton: ahocorasick.Automaton | None = None  # built on first scan

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> Lexicon:
        """Load a lexicon TSV (optionally gzipped): a user's own table or the shipped one.

        Columns are found by a header line naming at least ``spun`` and ``original``; without
        one they are positional (spun, original, source, prior, context). Missing source is
        "user", missing prior 1.0. Blank lines and lines starting with ``#`` are ignored,
        and so is a UTF-8 byte order mark. A row that cannot be used (not UTF-8, longer
        than `MAX_ROW_BYTES`, too many columns, an empty phrase, a prior outside (0, 1],
        a bad context) raises `LexiconError` naming the file and line, so a user can fix
        it; a file that cannot be opened raises `OSError` as usual.
        """
        name = os.fspath(path)
        if not isinstance(name, str):
            raise TypeError(f"a lexicon path must be a str or os.PathLike, not {path!r}")
        opener = gzip.open if name.endswith(".gz") else open
        with opener(name, "rb") as f:
            return cls(_parse_rows(_read_lines(f, name), name))

    def merged(self, other: Lexicon) -> Lexicon:
        """A new lexicon with the rows of both (e.g. shipped table plus a user lexicon)."""
        return Lexicon(self._subs + other._subs)

    def __len__(self) -> int:
        return len(self._subs)

    def __iter__(self) -> Iterator[Substitution]:
        return iter(self._subs)

    def candidates(self, phrase: str) -> tuple[Substitution, ...]:
        """Rows whose spun form is exactly ``phrase`` under the case rules (module doc)."""
        key = _norm(phrase)
        folded = self._folded.get(key.lower(), ())
        exact = self._exact.get(key, ())
        return folded + exact if exact else folded

    def finditer(self, text: str) -> Iterator[Match]:
        """Every spun phrase in ``text``, left to right, non-overlapping, longest first.

        One pass of an Aho-Corasick automaton over a spaced copy of the text (`_spaced`)
        finds, in C, every occurrence of every key that begins and ends at a word
        boundary; Python checks case per hit (and the boundary rule itself for the few
        keys with punctuation at an end), then keeps the leftmost-longest hits that do not
        overlap.
        """
        for start, end, subs in self.spans(text):
            yield Match(start, end, text[start:end], subs)

    def spans(self, text: str) -> list[tuple[int, int, tuple[Substitution, ...]]]:
        """What `finditer` finds, as (start, end, substitutions) in a list: the unspin
        stage's scan reads every match of every text, and building a `Match` for each
        cost it a tenth of its time on clean news."""
        automaton = self._scanner()
        if automaton is None:
            return []
        folded = _fold(text)
        rows, exact_rows, needs_case = self._folded, self._exact, self._exact_folded
        hits: list[tuple[int, int, tuple[Substitution, ...]]] = []
        # A hit is " key " in the spaced copy, one character longer at the front: the key
        # itself is folded[start:end]. A key that begins or ends outside a word ("u.s.")
        # is checked again by the rule itself, which the spaced copy only approximates.
        for last, value in automaton.iter(_spaced(folded)):
            start, end = last + 1 - (value >> 1), last - 1
            if value & 1 and not (_boundary_before(folded, start) and _boundary_after(folded, end)):
                continue
            # The folded text has the keys' spacing, so only case and apostrophes differ.
            key = folded[start:end]
            subs = rows.get(key, ())
            if key in needs_case:
                exact = exact_rows.get(text[start:end].replace("\u2019", "'"), ())
                subs = subs + exact if exact else subs
            if subs:
                hits.append((start, -end, subs))
        hits.sort()  # leftmost first, then longest; no two hits share a span
        kept = []
        position = 0
        for start, negative_end, subs in hits:
            if start >= position:
                kept.append((start, -negative_end, subs))
                position = -negative_end
        return kept

    def context_allows(self, sub: Substitution, document_words: frozenset[str]) -> bool:
        """Whether ``sub``'s context condition holds for a document's lowercase word set
        (see :func:`document_words`); unconditional rows are always allowed."""
        if not sub.context:
            return True
        for required, alts in _parse_context(sub.context):
            present = any(all(w in document_words for w in alt) for alt in alts)
            if present != required:
                return False
        return True

    def prepare(self) -> None:
        """Build the scanning automaton now rather than on the first scan."""
        self._scanner()

    def _scanner(self) -> ahocorasick.Automaton | None:
        """The automaton over all keys (folded), built once per lexicon on first use."""
        if self._automaton is None and (self._folded or self._exact):
            # Each key's value is its length and, in the low bit, whether it begins or
            # ends outside a word (one int per key, no tuple objects).
            automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
            for key in {_spaced(_fold(k)) for k in (*self._folded, *self._exact)}:
                edged = not (_is_word_char(key[1]) and _is_word_char(key[-2]))
                automaton.add_word(key, len(key) << 1 | edged)
            automaton.make_automaton()
            self._automaton = automaton
        return self._automaton


def _boundary_before(folded: str, start: int) -> bool:
    """No word continues into ``start`` (an apostrophe counts inside a word: "don't")."""
    if start == 0:
        return True
    before = folded[start - 1]
    if before == "'":
        return start < 2 or not _is_word_char(folded[start - 2])
    return not _is_word_char(before)


def _boundary_after(folded: str, end: int) -> bool:
    """No word continues from ``end``."""
    if end >= len(folded):
        return True
    after = folded[end]
    if after == "'":
        return end + 1 >= len(folded) or not _is_word_char(folded[end + 1])
    return not _is_word_char(after)


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def _read_lines(f: Any, name: str) -> Iterator[tuple[int, str]]:
    """Numbered lines of a binary file, decoded one by one so an error names its line."""
    for lineno in itertools.count(1):
        try:
            raw = f.readline(MAX_ROW_BYTES + 1)
        except (OSError, EOFError, zlib.error) as error:  # a damaged or truncated .gz
            raise LexiconError(name, lineno, f"cannot read the file ({error})") from None
        if not raw:
            return
        if len(raw) > MAX_ROW_BYTES and not raw.endswith(b"\n"):
            raise LexiconError(name, lineno, f"row longer than {MAX_ROW_BYTES:,} bytes")
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            bad = raw[error.start : error.end]
            raise LexiconError(
                name, lineno, f"not UTF-8 (byte {bad!r} at column {error.start + 1})"
            ) from None
        yield lineno, line.removeprefix("\ufeff") if lineno == 1 else line


def _parse_rows(lines: Iterable[tuple[int, str]], name: str) -> Iterator[Substitution]:
    cols: dict[str, int] | None = None
    width = len(_HEADER)
    for lineno, line in lines:
        line = line.rstrip("\r\n")
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if cols is None:
            names = [f.strip().lower() for f in fields]
            if "spun" in names and "original" in names:
                cols = {n: i for i, n in enumerate(names) if n in _HEADER}
                width = len(names)
                continue
            cols = {n: i for i, n in enumerate(_HEADER)}
        try:
            yield _row(fields, cols, width)
        except ValueError as error:
            raise LexiconError(name, lineno, str(error)) from None


def _row(fields: list[str], cols: dict[str, int], width: int) -> Substitution:
    """One row's substitution; a ValueError says what is wrong with it."""

    def get(name: str) -> str:
        i = cols.get(name)
        return fields[i].strip() if i is not None and i < len(fields) else ""

    if len(fields) < 2:
        raise ValueError(f"expected tab-separated spun and original, got {fields!r}")
    if len(fields) > width:
        raise ValueError(f"{len(fields)} tab-separated columns, expected at most {width}")
    spun, original = _norm(get("spun")), _norm(get("original"))
    if not spun or not original:
        raise ValueError("empty spun or original")
    prior_text = get("prior")
    try:
        prior = float(prior_text) if prior_text else 1.0
    except ValueError:
        raise ValueError(f"prior {prior_text!r} is not a number") from None
    if not 0.0 < prior <= 1.0:  # also refuses nan
        raise ValueError(f"prior {prior_text} not in (0, 1]")
    context = " ".join(get("context").split())
    if context:
        _parse_context(context)
    return Substitution(spun, original, get("source") or "user", prior, context)


@functools.cache
def default_lexicon() -> Lexicon:
    """The shipped curated and PPS rows, read once per process."""
    return Lexicon(_shipped_rows(_DEFAULT_RESOURCE))


@functools.cache
def thesaurus_lexicon() -> Lexicon:
    """The shipped reversed-thesaurus rows (Moby, WordNet), read once when asked for."""
    return Lexicon(_shipped_rows(_THESAURUS_RESOURCE))


def _shipped_rows(resource: str) -> Iterator[Substitution]:
    """Rows of a table the build script wrote: already normalised and checked, so they are
    read without the validation a user's file gets (five times faster)."""
    data = importlib.resources.files("textrepair") / "data" / resource
    lines = gzip.decompress(data.read_bytes()).decode("utf-8").splitlines()
    for line in lines[1:]:
        spun, original, source, prior, context = line.split("\t")
        yield Substitution(spun, original, source, float(prior), context)


def selected_lexicon(user_lexicon: str | None = None, thesaurus: bool = False) -> Lexicon:
    """The shipped lexicon (with thesaurus rows only if asked), a user's lexicon on top.

    Cached per process; a user's file is read again when it changes on disk.
    """
    stamp = None
    if user_lexicon is not None:
        if not isinstance(user_lexicon, str):  # an int would open a file descriptor
            raise TypeError(f"a lexicon path must be a str, not {user_lexicon!r}")
        status = os.stat(user_lexicon)
        stamp = (status.st_mtime_ns, status.st_size)
    return _selected_lexicon(user_lexicon, thesaurus, stamp)


@functools.lru_cache(maxsize=16)
def _selected_lexicon(
    user_lexicon: str | None, thesaurus: bool, stamp: tuple[int, int] | None
) -> Lexicon:
    shipped = default_lexicon()
    if thesaurus:
        shipped = shipped.merged(thesaurus_lexicon())
    return shipped.merged(Lexicon.from_file(user_lexicon)) if user_lexicon is not None else shipped
