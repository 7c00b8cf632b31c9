"""N-gram language model used by the context scorer.

The scorer asks one question many times: how likely is ``word`` after the
previous few words?  :class:`LanguageModel` is that question as a protocol, so
a user can plug in a model trained on their own corpus; :class:`NGramModel` is
the shipped implementation: the CMU Sphinx US-English trigram model (BSD
licence), extracted once by ``tools/build_language_model.py`` into
``textrepair/data/lm-en-us-3gram.zip``, with the symspellpy Web-1T unigram
counts (MIT licence, read from the installed symspellpy at run time) as a
fallback for words the Sphinx vocabulary lacks.  See ``tools/LANGUAGE_MODEL.md``
for the measurements behind that choice.

Token conventions (what :meth:`NGramModel.logprob` does with a token):

* Words are looked up as given (the caller lowercases); curly apostrophes are
  straightened and surrounding punctuation is stripped (``"syria,"`` ->
  ``syria``) when the raw token is not in the vocabulary.
* ``.``, ``!``, ``?`` (alone or ending a context token) and the literal ``<s>``
  / ``</s>`` mark a sentence boundary: context before them is dropped and
  ``<s>`` is used instead.  Scoring a sentence-final token as the *word*
  returns log10 P(``</s>`` | context).
* Other punctuation tokens (``,`` ``;`` ``"`` ``—`` ...) are transparent: as a
  word they score 0.0 (log10 of 1, i.e. no cost), in the context they are
  skipped.  The Sphinx model was trained on text without punctuation.
* Hyphenated words missing from the vocabulary are scored as their parts
  (``iran-linked`` -> ``iran`` ``linked``), chained left to right.
* Digit tokens are spelled out for 0..9999 (``12`` -> ``twelve``, ``2021`` ->
  ``twenty twenty-one``) because the Sphinx vocabulary has no digits.
* A word in neither vocabulary gets :data:`UNKNOWN_LOGPROB`; an unknown word in
  the context cuts the context there (nothing before it is used).

``logprob`` never raises for any ``str`` and never returns ``-inf``.
"""

from __future__ import annotations

import functools
import importlib.resources
import io
import json
import math
import mmap
import os
import re
import struct
import sys
import zipfile
from array import array
from bisect import bisect_left
from collections.abc import Mapping, Sequence
from typing import IO, Protocol, runtime_checkable

from .spoken_numbers import spell_number
from .wordcounts import unigram_counts

__all__ = [
    "UNKNOWN_LOGPROB",
    "LanguageModel",
    "NGramModel",
    "default_model",
    "phrase_logprob",
]

#: log10 probability for a word in neither the Sphinx nor the symspell
#: vocabulary.  The rarest Sphinx unigram is -8.8 and the symspell fallback
#: (below) bottoms out at -8.1, so -10.0 keeps unknown words below every known
#: word without being so low that one unknown word swamps a sentence score
#: (roughly ten times less likely than the rarest known word).
UNKNOWN_LOGPROB = -10.0

#: symspell-fallback calibration.  For an out-of-vocabulary word with a Web-1T
#: count c, the logprob is log10(c / N) + FALLBACK_OFFSET, where N is the total
#: unigram count.  -0.5 = -0.35 + -0.15: over the 48,469 words in both
#: vocabularies the median of (Sphinx unigram - symspell unigram) is -0.35, so
#: that aligns the two scales; -0.15 is about the median Sphinx unigram backoff
#: weight (-0.12), the price an in-vocabulary word pays when its context does
#: not predict it.  The resulting fallback values span -8.1 .. -1.9.
FALLBACK_OFFSET = -0.5

_SHIPPED = "lm-en-us-3gram.zip"
#: ``format`` tag in the model file's meta.json.
MODEL_FORMAT = "textrepair-ngram-v1"
#: Member-name suffix -> struct typecode (all little-endian, unsigned/float).
_TYPECODES = {"u2": "H", "u4": "I", "f4": "f"}
_MISSING = object()
_BOUNDARY_TOKENS = frozenset({".", "!", "?", "<s>", "</s>", "...", "…"})
# Curly quotes and dashes written as escapes (RIGHT/LEFT SINGLE QUOTATION MARK,
# EN DASH ...) so the source stays ASCII-unambiguous.
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'"})
_STRIP = "\"'\u201c\u201d\u2018\u2019\u00ab\u00bb()[]{}<>,;:.!?\u2026\u2014\u2013-*_/\\|"
_HAS_WORD_CHAR = re.compile(r"[^\W_]")


@runtime_checkable
class LanguageModel(Protocol):
    """Scores words in context; plug in your own (e.g. trained on your corpus)."""

    order: int
    """n-gram order, e.g. 3: ``logprob`` looks at the last ``order - 1`` context words."""

    def logprob(self, word: str, context: Sequence[str]) -> float:
        """log10 P(word | last order-1 words of context).

        Words are lowercased by the caller.  Unknown words get a documented
        floor, never ``-inf``; must never raise on any ``str``.
        """
        ...


class NGramModel:
    """Back-off trigram model (ARPA semantics) over a context-grouped trie.

    Use :meth:`load` (``None`` = the shipped model) rather than the constructor,
    which takes the arrays stored in the model file (see
    ``tools/build_language_model.py``): for each context word its bigram
    successors (sorted word ids + 16-bit codes into prob / backoff tables), and
    for each bigram its trigram successors.  A lookup is at most two binary
    searches over short, contiguous ranges.  ``fallback`` maps words outside the
    vocabulary to logprobs (``None``: symspellpy's Web-1T counts, see
    :data:`FALLBACK_OFFSET`).
    """

    def __init__(
        self,
        vocab: Sequence[str],
        arrays: Mapping[str, Sequence[int] | Sequence[float]],
        fallback: Mapping[str, float] | None = None,
    ) -> None:
        self.order = 3
        self._ids: dict[str, int] = dict(zip(vocab, range(len(vocab)), strict=True))
        if len(self._ids) != len(vocab):
            raise ValueError("duplicate words in the vocabulary")
        # The small arrays read on every lookup are tuples, whose items are ready
        # objects (a memoryview makes a new float or int per read), and tuples of
        # numbers leave the garbage collector's lists at its first pass: a list would
        # be walked item by item in every full collection (400k items, 13% of a short
        # run of 1 KB documents).
        self._uni: tuple[float, ...] = tuple(arrays["unigram"])
        self._uni_bo: tuple[float, ...] = tuple(arrays["unigram_backoff"])
        # The big arrays stay as zero-copy memoryviews over the file (mapped, or its
        # decompressed members): bisect and indexing on them return plain ints. The
        # per-word offsets are read twice per lookup (72k ints, 2.6 MB).
        self._bi_off = tuple(arrays["bigram_offsets"])  # per context word, len n1 + 1
        self._bi_words = arrays["bigram_words"]  # successor ids, sorted per context
        self._bi_codes = arrays["bigram_codes"]  # 16-bit codes into _bi_table
        self._bo_codes = arrays["backoff_codes"]  # 16-bit codes into _bo_table
        self._tri_off = arrays["trigram_offsets"]  # per bigram, len n2 + 1
        self._tri_words = arrays["trigram_words"]
        self._tri_codes = arrays["trigram_codes"]
        self._bi_table: tuple[float, ...] = tuple(arrays["bigram_table"])
        self._bo_table: tuple[float, ...] = tuple(arrays["backoff_table"])
        self._tri_table: tuple[float, ...] = tuple(arrays["trigram_table"])
        if (
            len(self._uni) != len(vocab)
            or len(self._bi_off) != len(vocab) + 1
            or len(self._tri_off) != len(self._bi_words) + 1
            or self._bi_off[-1] != len(self._bi_words)
            or self._tri_off[-1] != len(self._tri_words)
        ):
            raise ValueError("inconsistent model arrays")
        self._bos = self._ids.get("<s>", -1)
        self._eos = self._ids.get("</s>", -1)
        # Fast-path dictionaries: a word to score must be a plain vocabulary word;
        # in the context, </s> and sentence-final punctuation mean "sentence start".
        self._word_ids = self._ids.copy()
        for marker in ("<s>", "</s>"):
            self._word_ids.pop(marker, None)
        self._ctx_ids = self._word_ids.copy()
        if self._bos >= 0:
            self._ctx_ids.update(dict.fromkeys(_BOUNDARY_TOKENS, self._bos))
        self._fallback = fallback
        # token -> tuple of word ids (known words), () (transparent punctuation),
        # None (sentence boundary) or a float (unknown word: its fallback logprob).
        self._token_cache: dict[str, tuple[int, ...] | float | None] = {}

    # ------------------------------------------------------------------ loading
    @classmethod
    def load(cls, path: str | os.PathLike[str] | None = None) -> NGramModel:
        """Load a model file written by ``tools/build_language_model.py``.

        ``None`` loads the shipped model.  Words missing from the model's
        vocabulary fall back to the symspellpy Web-1T unigram counts (read
        lazily, on the first such word).
        """
        if path is None:
            ref = importlib.resources.files("textrepair").joinpath("data").joinpath(_SHIPPED)
            if not isinstance(ref, os.PathLike):  # inside a zipped package: read it
                with ref.open("rb") as fh:
                    return cls._load_zip(fh)
            path = ref
        with open(path, "rb") as fh:
            return cls._load_zip(fh, mapped=_map(fh))

    @classmethod
    def _load_zip(
        cls,
        fh: IO[bytes],
        fallback: Mapping[str, float] | None = None,
        mapped: memoryview | None = None,
    ) -> NGramModel:
        """Read a model zip; with the file `mapped`, its stored (uncompressed) members
        are used in place: no copy, no read, and the pages are shared by every process
        that maps the file, forked workers or not."""
        with zipfile.ZipFile(fh) as zf:
            meta = json.loads(zf.read("meta.json"))
            if meta.get("format") != MODEL_FORMAT or meta.get("order") != 3:
                raise ValueError(f"not a {MODEL_FORMAT} trigram model: {meta!r}")
            vocab = zf.read("vocab.txt").decode("utf-8").split("\n")
            arrays: dict[str, Sequence[int] | Sequence[float]] = {}
            for name, code in meta["arrays"].items():
                info = zf.getinfo(f"{name}.{code}")
                if mapped is not None and info.compress_type == zipfile.ZIP_STORED:
                    start = _member_start(mapped, info)
                    raw: bytes | memoryview = mapped[start : start + info.file_size]
                else:
                    raw = zf.read(info)
                if sys.byteorder == "little":
                    arrays[name] = memoryview(raw).cast(_TYPECODES[code])
                else:  # stored little-endian
                    arr = array(_TYPECODES[code], raw)
                    arr.byteswap()
                    arrays[name] = arr
        return cls(vocab, arrays, fallback)

    # ------------------------------------------------------------------ tokens
    def _token(self, token: str) -> tuple[int, ...] | float | None:
        """Map a caller token to word ids (see module docstring); cached."""
        cached = self._token_cache.get(token, _MISSING)
        if cached is not _MISSING:
            return cached  # type: ignore[return-value]
        result = self._resolve(token)
        if len(self._token_cache) < 200_000:  # bound memory on adversarial input
            self._token_cache[token] = result
        return result

    def _resolve(self, token: str) -> tuple[int, ...] | float | None:
        ids = self._ids
        if token in _BOUNDARY_TOKENS:
            return None
        wid = ids.get(token)
        if wid is not None:
            return (wid,)
        word = token.translate(_APOSTROPHES).strip()
        wid = ids.get(word)
        if wid is not None:
            return (wid,)
        if not _HAS_WORD_CHAR.search(word):
            return None if any(c in word for c in ".!?…") else ()
        word = word.strip(_STRIP)
        wid = ids.get(word)
        if wid is not None:
            return (wid,)
        if word.endswith("'s") and word[:-2] in ids:  # possessive of a known word
            return (ids[word[:-2]], ids["'s"]) if "'s" in ids else (ids[word[:-2]],)
        spelled = spell_number(word.replace(",", ""))
        if spelled is not None and all(w in ids for w in spelled):
            return tuple(ids[w] for w in spelled)
        if "-" in word:
            parts = [p for p in word.split("-") if p]
            if parts and all(p in ids for p in parts):
                return tuple(ids[p] for p in parts)
        if self._fallback is not None:
            return self._fallback.get(word, UNKNOWN_LOGPROB)
        return _web1t_logprob(word)

    def prepare(self) -> None:
        """Read the Web-1T counts of the default fallback now (else on the first
        unknown word)."""
        if self._fallback is None:
            _web1t_scale()

    def _context_ids(self, context: Sequence[str]) -> list[int]:
        """Last order-1 word ids of the context, oldest first (may start with <s>)."""
        out: list[int] = []
        need = self.order - 1
        for i in range(len(context) - 1, -1, -1):
            tok = context[i]
            res = self._token(tok) if isinstance(tok, str) else UNKNOWN_LOGPROB
            if res is None:
                if self._bos >= 0:
                    out.append(self._bos)
                break
            if isinstance(res, float):
                break  # unknown word: nothing before it is usable
            if res and not out and tok[-1:] in ".!?" and len(tok) > 1 and tok not in self._ids:
                # "syria." in the context: the sentence ended after this word.
                if self._bos >= 0:
                    out.append(self._bos)
                break
            for wid in reversed(res):
                out.append(wid)
                if len(out) >= need:
                    break
            if len(out) >= need:
                break
        out.reverse()
        return out

    # ----------------------------------------------------------------- scoring
    def _score_id(self, w: int, ctx: list[int]) -> float:
        """ARPA back-off: log10 P(w | ctx) with ctx = up to 2 ids, oldest first."""
        if len(ctx) >= 2:
            return self._score3(ctx[-2], ctx[-1], w)
        if ctx:
            return self._score2(ctx[-1], w)
        return self._uni[w]

    def _score2(self, v: int, w: int) -> float:
        lo, hi = self._bi_off[v], self._bi_off[v + 1]
        words = self._bi_words
        j = bisect_left(words, w, lo, hi)
        if j < hi and words[j] == w:
            return self._bi_table[self._bi_codes[j]]
        return self._uni_bo[v] + self._uni[w]

    def _score3(self, u: int, v: int, w: int) -> float:
        # The bigram back-off (`_score2`) is written out here: this is the hottest
        # function of the package, and a call costs as much as a binary search. The
        # sums are grouped as in `_score2` so every result is the same float.
        bi_off, words = self._bi_off, self._bi_words
        lo, hi = bi_off[u], bi_off[u + 1]
        j = bisect_left(words, v, lo, hi)
        backoff = 0.0  # no (u, v) bigram: the back-off weight is 0
        if j < hi and words[j] == v:  # the context bigram (u, v) exists
            lo, hi = self._tri_off[j], self._tri_off[j + 1]
            if lo < hi:
                twords = self._tri_words
                k = bisect_left(twords, w, lo, hi)
                if k < hi and twords[k] == w:
                    return self._tri_table[self._tri_codes[k]]
            backoff = self._bo_table[self._bo_codes[j]]
        lo, hi = bi_off[v], bi_off[v + 1]
        j = bisect_left(words, w, lo, hi)
        if j < hi and words[j] == w:
            return backoff + self._bi_table[self._bi_codes[j]]
        return backoff + (self._uni_bo[v] + self._uni[w])

    def logprob(self, word: str, context: Sequence[str] = ()) -> float:
        """log10 P(word | last 2 words of context); see the module docstring."""
        try:
            # Fast path: plain vocabulary words (the overwhelmingly common case).
            w = self._word_ids.get(word)
            if w is not None:
                n = len(context)
                if n >= 2:
                    v = self._ctx_ids.get(context[-1])
                    if v is not None:
                        if v == self._bos:
                            return self._score2(v, w)
                        u = self._ctx_ids.get(context[-2])
                        if u is not None:
                            return self._score3(u, v, w)
                elif n == 1:
                    v = self._ctx_ids.get(context[0])
                    if v is not None:
                        return self._score2(v, w)
                else:
                    return self._uni[w]
            return self._logprob_slow(word, context)
        except Exception:
            return UNKNOWN_LOGPROB

    def _logprob_slow(self, word: str, context: Sequence[str]) -> float:
        res = self._token(word) if isinstance(word, str) else UNKNOWN_LOGPROB
        if isinstance(res, float):
            return res
        ctx = self._context_ids(context)
        if res is None:  # sentence-final punctuation: P(</s> | context)
            return self._score_id(self._eos, ctx) if ctx and self._eos >= 0 else 0.0
        total = 0.0
        for wid in res:
            total += self._score_id(wid, ctx)
            ctx = [*ctx[1:], wid] if len(ctx) >= self.order - 1 else [*ctx, wid]
        return total

    def unigram_logprob(self, word: str) -> float:
        """log10 P(word) ignoring context (sum over parts for split tokens)."""
        return self.logprob(word, ())

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and word in self._ids

    def __repr__(self) -> str:
        return (
            f"NGramModel(order={self.order}, vocab={len(self._ids)}, "
            f"bigrams={len(self._bi_words)}, trigrams={len(self._tri_words)})"
        )


def _map(fh: IO[bytes]) -> memoryview | None:
    """The whole file, memory-mapped read-only (None where it cannot be mapped)."""
    try:
        return memoryview(mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ))
    except (OSError, ValueError, io.UnsupportedOperation):
        return None


# A zip member's local header: 30 bytes, ending in the name and extra-field lengths.
_LOCAL_HEADER = struct.Struct("<4s22xHH")


def _member_start(mapped: memoryview, info: zipfile.ZipInfo) -> int:
    """Offset of the first data byte of a stored zip member within the mapped file."""
    signature, name_length, extra_length = _LOCAL_HEADER.unpack_from(mapped, info.header_offset)
    if signature != b"PK\x03\x04":
        raise ValueError(f"bad zip member header for {info.filename}")
    return info.header_offset + _LOCAL_HEADER.size + name_length + extra_length


@functools.cache
def _web1t_scale() -> tuple[Mapping[str, int], float]:
    """symspellpy's Web-1T unigram counts and the shift that turns log10(count) into
    a fallback logprob (no counts if symspellpy's list cannot be read)."""
    try:
        counts = unigram_counts()
    except (ModuleNotFoundError, FileNotFoundError, OSError):
        return {}, 0.0
    total = sum(counts.values())
    return counts, (FALLBACK_OFFSET - math.log10(total)) if total else 0.0


def _web1t_logprob(word: str) -> float:
    """The default fallback: log10 of the word's Web-1T share plus `FALLBACK_OFFSET`.

    Worked out per word on demand (the model remembers each token's answer) rather
    than as a second table of 82,765 floats beside the counts it comes from.
    """
    counts, shift = _web1t_scale()
    count = counts.get(word)
    if not count:
        return UNKNOWN_LOGPROB
    return max(math.log10(count) + shift, UNKNOWN_LOGPROB)


@functools.cache
def default_model() -> NGramModel:
    """The shipped model, loaded lazily once per process."""
    return NGramModel.load()


def phrase_logprob(
    model: LanguageModel, words: Sequence[str], context: Sequence[str] = ()
) -> float:
    """Sum of log10 P(word_i | context + words[:i]) over ``words``, left to right."""
    history = list(context)[-(max(model.order, 1) + 8) :]  # spare room for punctuation
    total = 0.0
    for word in words:
        total += model.logprob(word, history)
        history.append(word)
    return total
