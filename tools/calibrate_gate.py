#!/usr/bin/env python3
"""Print the measurements behind the spin gate's constants (stages/unspin/gate.py).

Run from the repository root after rebuilding the genuine-rate table:
``python tools/calibrate_gate.py [--real DIR]``. It reads corpus/spun, corpus/clean, the
police and court sentences of tests/test_unspin.py and the real clean corpus, and prints

* `CHANCE_PER_WORD`: the largest evidence per word (log10 odds, before the chance term)
  among the clean texts of at least 150 words, from corpus/clean and the real corpus's
  training part (the held-out part is only reported);
* the gate's log10 odds at the extremes: the least spun text, the most spun-looking clean,
  real (per part) and police text, and the real paragraphs taken one at a time;
* `CHEAP_FLOOR`: the weakest first-look excess among the spun texts and paragraphs the
  full gate opens, less one unit, and how many clean and real texts then stop at the
  first look;
* the early stop (`gate.gains_for_gate`): of the clean and real texts and paragraphs past
  the first look, how many it proves clean and how many candidates' gains it asks (and
  the same for the spun texts and paragraphs);
* the discount conditioned on the ratio (fitted on the training part only): per part of
  the real corpus, how many clean occurrences it gives more than `NOTABLE_ODDS` of extra
  weight over the plain genuine rate, and the most log10 odds it adds to one occurrence.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO))

from tests.test_unspin import OFFICIAL  # noqa: E402
from textrepair.evaluation import real_texts  # noqa: E402
from textrepair.language_model import default_model  # noqa: E402
from textrepair.lexicon import selected_lexicon  # noqa: E402
from textrepair.stages.unspin import gate  # noqa: E402
from textrepair.stages.unspin.candidates import (  # noqa: E402
    Candidate,
    count_words,
    in_context,
    scan,
)
from textrepair.stages.unspin.evidence import evidence, gains  # noqa: E402
from textrepair.stages.unspin.model import shared_model  # noqa: E402

# Texts shorter than this are left out of the chance rate: a short text's rate is noise.
MIN_CHANCE_WORDS = 150

# Extra evidence (log10 odds) from the ratio-conditioned discount worth counting when one
# clean occurrence gets it: a factor of 2 on the odds that its text is spun.
NOTABLE_ODDS = 0.3


def measure(text: str) -> tuple[float, float, float, int]:
    """(full-gate log odds, full evidence, first-look evidence, words) of a text."""
    lexicon, model = selected_lexicon(), shared_model(default_model())
    found = scan(text, lexicon)
    words = count_words(text)
    if not found:
        return gate.PRIOR_LOG_ODDS - gate.CHANCE_PER_WORD * words, 0.0, 0.0, words
    first = gate.first_look(text, found) + gate.CHANCE_PER_WORD * words
    candidates = in_context(text, found)
    score = gate.assess(text, candidates, [gains(model, c) for c in candidates])
    evidence = score.log_odds - gate.PRIOR_LOG_ODDS + gate.CHANCE_PER_WORD * words
    return score.log_odds, evidence, first, words


def early_stop(text: str) -> tuple[bool, int, int] | None:
    """For a text past the first look: (proven clean, candidates asked, candidates) of
    the gate's early stop (`gate.gains_for_gate`); None for a text that stops before."""
    lexicon, model = selected_lexicon(), shared_model(default_model())
    found = scan(text, lexicon)
    if not found or gate.looks_clean(text, found):
        return None
    candidates = in_context(text, found)
    asked = []

    def ask(candidate: Candidate) -> tuple[float, ...]:
        asked.append(candidate)
        return gains(model, candidate)

    proven = gate.gains_for_gate(text, candidates, ask) is None
    return proven, len(asked), len(candidates)


def conditioning(text: str) -> list[float]:
    """Per clean occurrence of a tabled form in `text`: the log10 odds the ratio-conditioned
    discount adds over the plain genuine-rate discount (0 where it adds none)."""
    lexicon, model = selected_lexicon(), shared_model(default_model())
    added = []
    for candidate in in_context(text, scan(text, lexicon)):
        found = evidence(candidate, gains(model, candidate))
        row = gate.genuine_rates().get(" ".join(candidate.options[0].words))
        if found is None or row is None:
            continue
        plain = max(0.0, row.genuine - row.model)
        conditioned = gate._discount(candidate.options[0].words, found[0])
        added.append(gate._odds(found[0] - conditioned) - gate._odds(found[0] - plain))
    return added


def paragraphs(text: str) -> Iterator[str]:
    return (line for line in text.split("\n") if line.strip())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--real", type=Path, default=REPO / "corpus" / "real")
    args = parser.parse_args()
    corpus = REPO / "corpus"
    spun_texts = [
        p.read_text(encoding="utf-8") for p in sorted((corpus / "spun").glob("*.spun.txt"))
    ]
    whole = len(spun_texts)  # the texts, then their paragraphs alone
    spun_texts += [p for t in spun_texts for p in paragraphs(t)]
    spun = [measure(t) for t in spun_texts]
    clean_texts = [p.read_text(encoding="utf-8") for p in sorted((corpus / "clean").glob("*.txt"))]
    clean = [measure(t) for t in clean_texts]
    real: dict[str, list[tuple[float, float, float, int]]] = {"train": [], "held-out": []}
    real_paragraphs = []
    added: dict[str, list[float]] = {"train": [], "held-out": []}
    for row in real_texts(args.real) if (args.real / "manifest.tsv").is_file() else []:
        text = (args.real / row["file"]).read_text(encoding="utf-8")
        real[row["part"]].append(measure(text))
        added[row["part"]] += conditioning(text)
        real_paragraphs += [measure(p) for p in paragraphs(text)]
        clean_texts += [text, *paragraphs(text)]
    police = [measure(t) for t in OFFICIAL]

    fitted = [m for m in clean + real["train"] if m[3] >= MIN_CHANCE_WORDS]
    rate = max(m[1] / m[3] for m in fitted)
    print(
        f"CHANCE_PER_WORD: largest rate {rate:.4f} over {len(fitted)} clean texts of "
        f"{MIN_CHANCE_WORDS}+ words (now {gate.CHANCE_PER_WORD})"
    )
    extremes = {
        "least spun text": min(m[0] for m in spun[:whole]),
        "most spun-looking corpus/clean": max(m[0] for m in clean),
        **{
            f"real {part}": max((m[0] for m in ms), default=float("nan"))
            for part, ms in real.items()
        },
        "real paragraphs alone": max((m[0] for m in real_paragraphs), default=float("nan")),
        "police/court sentences": max(m[0] for m in police),
    }
    print("log10 odds: " + "; ".join(f"{name} {value:.2f}" for name, value in extremes.items()))
    opened = [m for m in spun if m[0] >= 0.0]
    weakest = min(m[2] - gate.CHANCE_PER_WORD * m[3] for m in opened)
    everything = clean + real["train"] + real["held-out"]
    stop = sum(1 for m in everything if m[2] - gate.CHANCE_PER_WORD * m[3] < weakest - 1.0)
    print(
        f"CHEAP_FLOOR: weakest first look among the {len(opened)} spun texts and paragraphs "
        f"the gate opens {weakest:.2f}, floor {weakest - 1.0:.2f} (now {gate.CHEAP_FLOOR}); "
        f"{stop} of {len(everything)} clean and real texts would stop at the first look"
    )
    stops = {
        name: [m for m in (early_stop(t) for t in texts) if m is not None]
        for name, texts in (("clean and real", clean_texts), ("spun", spun_texts))
    }
    print(
        "early stop: "
        + "; ".join(
            f"{name} texts and paragraphs past the first look {len(ms)}, proven clean "
            f"{sum(m[0] for m in ms)}, gains asked {sum(m[1] for m in ms)} of "
            f"{sum(m[2] for m in ms)}"
            for name, ms in stops.items()
        )
    )
    print(
        "ratio-conditioned discount on real clean occurrences: "
        + "; ".join(
            f"{part} {sum(1 for a in values if a > NOTABLE_ODDS)} of {len(values)} given more "
            f"than {NOTABLE_ODDS} log10 odds, at most +{max(values, default=0.0):.2f}"
            for part, values in added.items()
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
