#!/usr/bin/env python3
"""Build (and measure) the shipped n-gram language model.

Source: the CMU Sphinx US-English trigram model (BSD licence) inside the
installed ``pocketsphinx`` wheel (``model/en-us/en-us.lm.bin``).  pocketsphinx
5's own ARPA writer (``NGramModel.write``) crashes on this file, so the build
reads the binary ("Trie Language Model", the bit-packed reverse trie of
``src/lm/lm_trie.c``) directly with numpy, regroups the n-grams by context and
writes ``src/textrepair/data/lm-en-us-3gram.zip``.

    python tools/build_language_model.py                 # build + verify
    python tools/build_language_model.py --evaluate      # + measurements
    python tools/build_language_model.py --evaluate --no-build

``--verify`` (on by default) compares the built model with pocketsphinx's own
scorer on random n-grams, including backed-off ones.
"""

from __future__ import annotations

import argparse
import difflib
import importlib.resources
import json
import math
import os
import random
import re
import struct
import subprocess
import sys
import time
import zipfile
import zlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from textrepair.language_model import (  # noqa: E402
    MODEL_FORMAT,
    UNKNOWN_LOGPROB,
    LanguageModel,
    NGramModel,
    phrase_logprob,
)

DEFAULT_OUT = ROOT / "src" / "textrepair" / "data" / "lm-en-us-3gram.zip"
TRIE_HEADER = b"Trie Language Model"
#: pocketsphinx stores scores in logmath units of base 1.0001 (its default);
#: multiplying by log10(1.0001) gives log10.
LOGMATH_TO_LOG10 = math.log10(1.0001)
#: Quantised values are 16-bit codes into 65,536-entry float tables; a middle
#: order (bigrams) has a prob table followed by a backoff table.
QUANT_BITS = 16
QUANT_TABLE = 1 << QUANT_BITS
#: Bits per word id in the sort keys used while regrouping: the vocabulary has
#: 72,547 entries (< 2**17), so a trigram key needs 51 bits of an int64.
WORD_BITS = 17


# Members at least this large are stored uncompressed (see write_model).
STORED_FROM_BYTES = 1_000_000


def sphinx_model_path() -> Path:
    import pocketsphinx

    return Path(pocketsphinx.__file__).parent / "model" / "en-us" / "en-us.lm.bin"


def _bits_for(value: int) -> int:
    """Bits needed to store 0..value (pocketsphinx bitarr_required_bits)."""
    return int(value).bit_length()


def _read_packed(mem: np.ndarray, start_bit: np.ndarray, width: int) -> np.ndarray:
    """Read ``width`` (<= 57) little-endian bits at each ``start_bit``."""
    byte = start_bit >> 3
    shift = (start_bit & 7).astype(np.uint64)
    window = mem[byte[:, None] + np.arange(8)].copy().view("<u8")[:, 0]
    return ((window >> shift) & np.uint64((1 << width) - 1)).astype(np.int64)


def read_sphinx_trie(path: Path) -> dict[str, np.ndarray | list[str]]:
    """Decode a pocketsphinx trigram trie binary into flat log10 arrays.

    Layout (little-endian; from pocketsphinx src/lm/ngram_model_trie.c and
    lm_trie.c): header, order byte, order x uint32 counts, a 4-byte quantiser
    tag, float32 quantisation tables (bigram prob + bigram backoff + trigram
    prob), (n1 + 1) unigram records {float prob, float backoff, uint32 first
    child}, then the bit-packed bigram array (entries {word, backoff code,
    prob code, first child}, plus a sentinel) and trigram array ({word, prob
    code}), then the NUL-separated vocabulary.  The trie is reversed: a
    unigram's children are the bigrams *ending* in it, whose ``word`` is the
    context word; a bigram's children are the trigrams ending in it, whose
    ``word`` is the earliest word.
    """
    data = path.read_bytes()
    if not data.startswith(TRIE_HEADER):
        raise ValueError(f"{path}: not a pocketsphinx trie LM")
    pos = len(TRIE_HEADER)
    order = data[pos]
    pos += 1
    if order != 3:
        raise ValueError(f"{path}: expected a trigram model, got order {order}")
    counts = struct.unpack_from(f"<{order}I", data, pos)
    pos += 4 * order + 4  # counts, then the quantiser-type tag
    n_quant = (order - 2) * 2 * QUANT_TABLE + QUANT_TABLE
    quant = np.frombuffer(data, "<f4", n_quant, pos).astype(np.float64) * LOGMATH_TO_LOG10
    pos += 4 * n_quant
    n1 = counts[0]
    unigram_dtype = np.dtype([("prob", "<f4"), ("backoff", "<f4"), ("next", "<u4")])
    uni = np.frombuffer(data, unigram_dtype, n1 + 1, pos)
    pos += unigram_dtype.itemsize * (n1 + 1)
    mem = np.frombuffer(data, np.uint8)

    word_bits = _bits_for(n1)
    next_bits = _bits_for(counts[2])
    bi_total = word_bits + 2 * QUANT_BITS + next_bits
    n2_alloc = counts[1]
    base = pos * 8 + np.arange(n2_alloc + 1, dtype=np.int64) * bi_total
    bi_word = _read_packed(mem, base, word_bits)
    bi_bo = _read_packed(mem, base + word_bits, QUANT_BITS)
    bi_prob = _read_packed(mem, base + word_bits + QUANT_BITS, QUANT_BITS)
    bi_next = _read_packed(mem, base + word_bits + 2 * QUANT_BITS, next_bits)
    pos += ((1 + n2_alloc) * bi_total + 7) // 8 + 8
    tri_total = word_bits + QUANT_BITS
    base = pos * 8 + np.arange(counts[2], dtype=np.int64) * tri_total
    tri_word = _read_packed(mem, base, word_bits)
    tri_prob = _read_packed(mem, base + word_bits, QUANT_BITS)
    pos += ((1 + counts[2]) * tri_total + 7) // 8 + 8
    (vocab_bytes,) = struct.unpack_from("<I", data, pos)
    vocab = data[pos + 4 : pos + 4 + vocab_bytes].decode("latin-1").split("\0")[:n1]

    # The header over-counts bigrams slightly (2,051,547 vs 2,051,541 stored);
    # the unigram sentinel's child pointer is the real count.
    uni_next = uni["next"].astype(np.int64)
    n2 = int(uni_next[-1])
    n3 = int(bi_next[n2])
    last = np.repeat(np.arange(n1, dtype=np.int64), np.diff(uni_next))
    parent = np.repeat(np.arange(n2, dtype=np.int64), np.diff(bi_next[: n2 + 1]))
    return {
        "vocab": vocab,
        "unigram": uni["prob"][:n1].astype(np.float64) * LOGMATH_TO_LOG10,
        "unigram_backoff": uni["backoff"][:n1].astype(np.float64) * LOGMATH_TO_LOG10,
        # bigram (ctx, last); codes index the tables below
        "bi_ctx": bi_word[:n2],
        "bi_last": last,
        "bi_prob_code": bi_prob[:n2],
        "bi_bo_code": bi_bo[:n2],
        # trigram (first, ctx, last) via the parent bigram
        "tri_first": tri_word[:n3],
        "tri_ctx": bi_word[parent],
        "tri_last": last[parent],
        "tri_prob_code": tri_prob[:n3],
        "bi_prob_table": quant[:QUANT_TABLE],
        "bi_bo_table": quant[QUANT_TABLE : 2 * QUANT_TABLE],
        "tri_prob_table": quant[2 * QUANT_TABLE :],
    }


def write_model(src: dict, out: Path, min_trigram_logprob: float) -> dict[str, int]:
    """Regroup by context (sorted packed keys) and write the model zip."""
    vocab: list[str] = src["vocab"]  # type: ignore[assignment]
    n1 = len(vocab)
    assert n1 < 1 << WORD_BITS
    bi_key = (src["bi_ctx"] << WORD_BITS) | src["bi_last"]
    bi_order = np.argsort(bi_key, kind="stable")
    bi_key = bi_key[bi_order]
    tri_code = src["tri_prob_code"]
    keep = src["tri_prob_table"][tri_code] >= min_trigram_logprob
    tri_parent = (src["tri_first"][keep] << WORD_BITS) | src["tri_ctx"][keep]
    tri_key = (tri_parent << WORD_BITS) | src["tri_last"][keep]
    tri_order = np.argsort(tri_key, kind="stable")
    tri_key = tri_key[tri_order]
    # Every trigram context (u, v) exists as a bigram in this model (checked).
    parent_idx = np.searchsorted(bi_key, tri_key >> WORD_BITS)
    if not np.array_equal(bi_key[parent_idx], tri_key >> WORD_BITS):
        raise ValueError("trigram context missing from the bigrams")

    def offsets(counts: np.ndarray) -> np.ndarray:
        return np.concatenate([[0], np.cumsum(counts)]).astype("<u4")

    arrays = {
        "unigram": src["unigram"].astype("<f4"),
        "unigram_backoff": src["unigram_backoff"].astype("<f4"),
        "bigram_offsets": offsets(np.bincount(src["bi_ctx"], minlength=n1)),
        "bigram_words": (bi_key & ((1 << WORD_BITS) - 1)).astype("<u4"),
        "bigram_codes": src["bi_prob_code"][bi_order].astype("<u2"),
        "backoff_codes": src["bi_bo_code"][bi_order].astype("<u2"),
        "trigram_offsets": offsets(np.bincount(parent_idx, minlength=len(bi_key))),
        "trigram_words": (tri_key & ((1 << WORD_BITS) - 1)).astype("<u4"),
        "trigram_codes": tri_code[keep][tri_order].astype("<u2"),
        "bigram_table": src["bi_prob_table"].astype("<f4"),
        "backoff_table": src["bi_bo_table"].astype("<f4"),
        "trigram_table": src["tri_prob_table"].astype("<f4"),
    }
    suffix = {np.dtype("<u2"): "u2", np.dtype("<u4"): "u4", np.dtype("<f4"): "f4"}
    meta = {
        "format": MODEL_FORMAT,
        "order": 3,
        "source": "CMU Sphinx en-us.lm.bin (pocketsphinx), BSD licence",
        "arrays": {name: suffix[a.dtype] for name, a in arrays.items()},
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp")
    # Fixed timestamps keep rebuilds byte-identical.
    stamp = (2020, 1, 1, 0, 0, 0)
    with zipfile.ZipFile(tmp, "w") as zf:
        members = [("meta.json", json.dumps(meta, indent=1).encode())]
        members.append(("vocab.txt", "\n".join(vocab).encode("utf-8")))
        members += [(f"{n}.{meta['arrays'][n]}", a.tobytes()) for n, a in arrays.items()]
        for name, data in members:
            packed = zlib.compress(data, 9)
            info = zipfile.ZipInfo(name, stamp)
            # Big arrays are stored, not deflated: inflating them took 0.4 s, most of
            # the first call's cost, while a stored member loads with a plain read
            # (a wheel compresses the file as a whole anyway). Small members are
            # deflated where it pays (>= 3 %).
            small = len(data) < STORED_FROM_BYTES
            info.compress_type = (
                zipfile.ZIP_DEFLATED
                if small and len(packed) < 0.97 * len(data)
                else zipfile.ZIP_STORED
            )
            zf.writestr(info, data, compresslevel=9)
    tmp.replace(out)
    return {"unigrams": n1, "bigrams": len(bi_key), "trigrams": len(tri_key)}


def verify(model: NGramModel, src: dict, samples: int = 3000, seed: int = 7) -> float:
    """Max |ours - pocketsphinx| over random stored and backed-off n-grams."""
    import pocketsphinx

    ps = pocketsphinx.NGramModel.readfile(str(sphinx_model_path()))
    vocab: list[str] = src["vocab"]  # type: ignore[assignment]
    rng = random.Random(seed)
    n3 = len(src["tri_first"])
    worst = 0.0
    for _ in range(samples):
        k = rng.randrange(n3)
        u, v, w = (vocab[int(src[f][k])] for f in ("tri_first", "tri_ctx", "tri_last"))
        x = vocab[rng.randrange(len(vocab))]
        for word, ctx in (
            (w, [u, v]),  # stored trigram
            (x, [u, v]),  # mostly backed off to bigram / unigram
            (w, [x, v]),
            (v, [u]),
        ):
            if word == "<s>" or "</s>" in ctx:
                continue
            theirs = ps.prob([word, *reversed(ctx)]) * LOGMATH_TO_LOG10
            ours = model._score_id(model._ids[word], [model._ids[c] for c in ctx])
            worst = max(worst, abs(theirs - ours))
    return worst


# ---------------------------------------------------------------- evaluation
TOKEN_RE = re.compile(r"\w+(?:[.,'\u2019\-]\w+)*|[^\w\s]")
UNCERTAIN_RE = re.compile(r"\{([^{}|]*)\|[^{}]*\}")
#: Spinner pairs for the clean-text test, spun -> original.
CLEAN_PAIRS = {
    "stated": "said",
    "teams": "groups",
    "army": "military",
    "latest": "recent",
    "assaults": "attacks",
    "the place": "where",
    "12 months": "year",
    "safety": "security",
    "authorities": "government",
    "within": "in",
    "course": "direction",
    "motion": "action",
    "workplace": "office",
    "previous": "former",
    "earlier": "previous",
    "guard": "protect",
    "simply": "just",
    "help": "support",
    "data": "information",
    "proof": "evidence",
    "discovered": "found",
}
WINDOW = 2  # words of context on each side of a spot


def tokens(text: str) -> list[str]:
    return TOKEN_RE.findall(text.lower())


def _is_word(tok: str) -> bool:
    return any(c.isalnum() for c in tok)


def _take_words(toks: Sequence[str], n: int, from_end: bool) -> list[str]:
    """Up to n words (with any punctuation between them) from one end."""
    seq = list(reversed(toks)) if from_end else list(toks)
    out: list[str] = []
    words = 0
    for t in seq:
        if words == n:
            break
        out.append(t)
        words += _is_word(t)
    return list(reversed(out)) if from_end else out


def window_delta(model: LanguageModel, left, right, good, bad) -> float:
    """log P(window with good) - log P(window with bad), same left/right context."""
    lc = _take_words(left, WINDOW, True)
    rc = _take_words(right, WINDOW, False)
    return phrase_logprob(model, [*good, *rc], lc) - phrase_logprob(model, [*bad, *rc], lc)


def spun_spots(spun_text: str, ref_text: str):
    """(spun, original, left/right in original, left/right in spun) per substitution."""
    ref_text = UNCERTAIN_RE.sub(lambda m: m.group(1), ref_text)  # skip uncertain spots
    s, r = tokens(spun_text), tokens(ref_text)
    sm = difflib.SequenceMatcher(a=s, b=r, autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag != "replace":
            continue
        yield s[i1:i2], r[j1:j2], (r[:j1], r[j2:]), (s[:i1], s[i2:])


def clean_spots(text: str):
    """(genuine, suggested original, left, right) for each spinner-side phrase."""
    toks = tokens(text)
    for spun, orig in CLEAN_PAIRS.items():
        sp, og = spun.split(), orig.split()
        for i in range(len(toks) - len(sp) + 1):
            if toks[i : i + len(sp)] == sp:
                yield sp, og, toks[:i], toks[i + len(sp) :]


class SymspellBigramModel:
    """Web-1T counts from symspellpy: c(v w)/c(v), else stupid backoff to unigrams."""

    order = 2
    #: Brants et al. (2007) stupid-backoff factor 0.4.
    BACKOFF = math.log10(0.4)

    def __init__(self) -> None:
        pkg = importlib.resources.files("symspellpy")
        uni: dict[str, float] = {}
        for line in pkg.joinpath("frequency_dictionary_en_82_765.txt").read_text().splitlines():
            w, c = line.split()
            uni[w] = float(c)
        self.total = math.log10(sum(uni.values()))
        self.uni = {w: math.log10(c) for w, c in uni.items()}
        self.bi: dict[tuple[str, str], float] = {}
        for line in (
            pkg.joinpath("frequency_bigramdictionary_en_243_342.txt").read_text().splitlines()
        ):
            a, b, c = line.split()
            self.bi[(a, b)] = math.log10(float(c))

    def logprob(self, word: str, context: Sequence[str]) -> float:
        if not _is_word(word):
            return 0.0  # punctuation ignored consistently
        word = word.replace("\u2019", "'")
        prev = None
        for t in reversed(context):
            if _is_word(t):
                prev = t.replace("\u2019", "'")
                break
            if t in ".!?":
                break
        if prev is not None and (prev, word) in self.bi and prev in self.uni:
            return self.bi[(prev, word)] - self.uni[prev]
        p = self.uni.get(word)
        if p is None:
            return UNKNOWN_LOGPROB
        return p - self.total + (self.BACKOFF if prev is not None else 0.0)


class MixModel:
    """Log-linear mix of two models (weight on the first)."""

    def __init__(self, a: LanguageModel, b: LanguageModel, weight: float = 0.5) -> None:
        self.a, self.b, self.weight, self.order = a, b, weight, max(a.order, b.order)

    def logprob(self, word: str, context: Sequence[str]) -> float:
        w = self.weight
        return w * self.a.logprob(word, context) + (1 - w) * self.b.logprob(word, context)


def evaluate(models: dict[str, LanguageModel]) -> str:
    spun_files = sorted((ROOT / "corpus" / "spun").glob("*.spun.txt"))
    clean_files = sorted((ROOT / "corpus" / "clean").glob("*.txt"))
    spots = []
    for f in spun_files:
        ref = f.with_name(f.name.replace(".spun.txt", ".reference.txt"))
        if ref.exists():
            spots += list(spun_spots(f.read_text(), ref.read_text()))
    cspots = [s for f in clean_files for s in clean_spots(f.read_text())]
    lines = [
        f"Spun corpus: {len(spun_files)} pairs, {len(spots)} substituted spots; "
        f"clean corpus: {len(clean_files)} files, {len(cspots)} spinner-side words.",
        "",
        "| model | spun: orig wins (orig ctx) | spun: orig wins (spun ctx) | "
        "mean Δ (spun ctx) | clean: wrongly prefers 'original' | mean Δ (clean) |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    details = {}
    for name, m in models.items():
        easy = [window_delta(m, *oc, orig, spun) for spun, orig, oc, _ in spots]
        real = [window_delta(m, *sc, orig, spun) for spun, orig, _, sc in spots]
        clean = [window_delta(m, left, right, og, sp) for sp, og, left, right in cspots]
        details[name] = (real, clean)

        def frac(xs):
            wins = sum(x > 0 for x in xs)
            return f"{wins}/{len(xs)} ({100 * wins / max(len(xs), 1):.0f}%)"

        lines.append(
            f"| {name} | {frac(easy)} | {frac(real)} | {np.mean(real):+.2f} | "
            f"{frac(clean)} | {np.mean(clean):+.2f} |"
        )
    lines += [
        "",
        "Margin sweep (realistic spun context vs clean): a spot counts as "
        "'prefers original' only when Δ > margin.",
        "",
        "| model | margin | spun recall | clean false-positive rate |",
        "| --- | --- | --- | --- |",
    ]
    for name, (real, clean) in details.items():
        for margin in (0.0, 0.5, 1.0, 1.5, 2.0):
            r = sum(x > margin for x in real) / max(len(real), 1)
            c = sum(x > margin for x in clean) / max(len(clean), 1)
            lines.append(f"| {name} | {margin} | {100 * r:.0f}% | {100 * c:.0f}% |")
    first = next(iter(models))
    lines += ["", f"Per-spot deltas for `{first}` (spun ctx; + means original preferred):", ""]
    real, _ = details[first]
    for (spun, orig, _, _), d in sorted(zip(spots, real, strict=True), key=lambda x: x[1]):
        lines.append(f"    {d:+6.2f}  {' '.join(spun)!r} -> {' '.join(orig)!r}")
    return "\n".join(lines)


def measure_load(path: Path) -> str:
    """Fresh-process load time, peak RSS and logprob speed."""
    code = f"""
import time, resource, random
t0 = time.perf_counter()
import textrepair  # the package itself (other modules), not counted below
t0 = time.perf_counter()
from textrepair.language_model import NGramModel
t1 = time.perf_counter()
m = NGramModel.load({str(path)!r})
t2 = time.perf_counter()
m.logprob("said", ["kirby"])
t3 = time.perf_counter()
def hwm():  # peak RSS of this process (ru_maxrss would include the parent's)
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
rss_base = hwm()
rss_loaded = hwm()
m.logprob("utilised", ["kirby"])  # first unknown word loads the symspell fallback
rss_fallback = hwm()
words = list(m._ids)[:5000]
rng = random.Random(1)
calls = [(rng.choice(words), [rng.choice(words), rng.choice(words)]) for _ in range(200000)]
t4 = time.perf_counter()
for w, c in calls:
    m.logprob(w, c)
t5 = time.perf_counter()
text = "the us military said it carried out air strikes on tuesday in syria".split()
seq = [(text[i], text[max(0, i - 2):i]) for i in range(len(text))] * 10000
t6 = time.perf_counter()
for w, c in seq:
    m.logprob(w, c)
t7 = time.perf_counter()
print(f"import {{t1-t0:.3f}} s, load {{t2-t1:.3f}} s, first call {{t3-t2:.4f}} s, "
      f"import+load+first call {{t3-t0:.3f}} s, peak RSS after load {{rss_loaded:.0f}} MB "
      f"(after the symspell fallback {{rss_fallback:.0f}} MB); "
      f"logprob random {{len(calls)/(t5-t4)/1000:.0f}}k calls/s, "
      f"news text {{len(seq)/(t7-t6)/1000:.0f}}k calls/s")
"""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    res = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    return (res.stdout + res.stderr).strip()


def _load(path: Path, fallback: dict[str, float] | None) -> NGramModel:
    """The model at `path`; fallback None = the Web-1T counts, {} = none."""
    with open(path, "rb") as fh:
        return NGramModel._load_zip(fh, fallback)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument(
        "--source", type=Path, default=None, help="Sphinx trie LM (default: from pocketsphinx)"
    )
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument(
        "--min-trigram-logprob",
        type=float,
        default=-99.0,
        help="drop trigrams below this log10 prob (default -99 keeps all: the full model "
        "fits the size budget)",
    )
    ap.add_argument("--no-build", action="store_true", help="skip the build, use --out as is")
    ap.add_argument("--no-verify", action="store_true")
    ap.add_argument("--evaluate", action="store_true", help="print the candidate-model comparison")
    args = ap.parse_args(argv)

    src = None
    if not args.no_build:
        t = time.perf_counter()
        src = read_sphinx_trie(args.source or sphinx_model_path())
        stats = write_model(src, args.out, args.min_trigram_logprob)
        print(
            f"wrote {args.out} ({args.out.stat().st_size / 1e6:.1f} MB): {stats}, "
            f"{time.perf_counter() - t:.1f} s"
        )
    if not args.no_verify:
        src = src or read_sphinx_trie(args.source or sphinx_model_path())
        err = verify(_load(args.out, {}), src)
        print(f"verify: max |ours - pocketsphinx| = {err:.5f} log10")
        if err > 1e-3:
            print("verify FAILED", file=sys.stderr)
            return 1
    print(measure_load(args.out))
    if args.evaluate:
        sphinx = _load(args.out, {})
        combo = _load(args.out, None)
        sym = SymspellBigramModel()
        print(
            evaluate(
                {
                    "sphinx 3-gram + symspell unigram fallback": combo,
                    "sphinx 3-gram": sphinx,
                    "symspell 2-gram": sym,
                    "0.5 sphinx+fallback / 0.5 symspell (log-linear)": MixModel(combo, sym),
                }
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
