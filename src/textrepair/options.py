"""The options that steer a repair, in one frozen, documented object."""

from __future__ import annotations

import math
import os
from typing import Any, NamedTuple


class Options(NamedTuple):
    """How textrepair repairs a text. Every field has a sensible default.

    Pass an `Options` to `textrepair.clean` / `textrepair.repair`, or override single
    fields as keyword arguments, as in ftfy: ``clean(text, fold_quotes=True)``.

    Stages (each can be switched off):

    - `fix_encoding`: undo mojibake and other encoding damage with ftfy, and decode
      HTML entities that are clearly entities (``&amp;``, ``&eacute;``, ``&#8217;``).
      Entities are decoded here, before mojibake is fixed, because entity-escaped
      mojibake (``&Atilde;&copy;``) is common and must become mojibake first.
    - `normalise`: line endings to ``\\n``; control characters, zero-width spaces and
      soft hyphens removed; no-break and other fixed-width spaces to plain spaces;
      Unicode NFC.
    - `split_glued`: split tokens a scraper glued together ("airstrikesFeb 15",
      "targetIran-backed") and long run-together lowercase words, when both sides are
      known words. Names such as iPhone, McDonald or YouTube stay whole.
    - `unspin`: restore words a synonym spinner replaced ("japanese Syria" ->
      "eastern Syria"), deciding each candidate in its sentence.

    Typography, chosen deliberately:

    - `fold_quotes` (default False): curly quotes to straight ones. Off because
      typographic quotes are the author's text, not damage (ftfy's default differs).
    - `fold_dashes` (default False): en and em dashes to "-". Off for the same reason.

    Thresholds:

    - `min_confidence`: edits of the unspin stage below this confidence are not
      applied (they are still scored). Default 0.5.
    - `time_budget`: seconds the unspin stage may spend on one document, or None (the
      default) for no limit. When it runs out, the rest of the document keeps its
      words; the other stages are linear and always run (the encoding stage too: nested
      HTML entities are decoded in one linear pass). For long unattended jobs.
    - `thesaurus` (default False): also consider originals from the reversed Moby and
      WordNet thesauri, for spun words the curated spinner tables do not know.
      Measured on corpus/, they add no recall and cost about a point of precision
      (they reach rare genuine words such as "constituting"), hence off by default.
    - `lexicon`: path of a user lexicon (TSV: ``spun<TAB>original``, as written by
      ``textrepair learn``) loaded on top of the shipped one, or None. A str or an
      `os.PathLike` (kept as its str); an int is refused, as it would name a file
      descriptor.

    Every field is checked when a repair starts: a switch must be a bool (``"no"`` is not
    False), a threshold a number; a wrong type is a `TypeError` naming the field.
    """

    fix_encoding: bool = True
    normalise: bool = True
    split_glued: bool = True
    unspin: bool = True
    fold_quotes: bool = False
    fold_dashes: bool = False
    min_confidence: float = 0.5
    time_budget: float | None = None
    thesaurus: bool = False
    lexicon: str | None = None


STAGE_OPTIONS = ("fix_encoding", "normalise", "split_glued", "unspin")

_DEFAULT = Options()

# The fields that switch something on or off (those whose default is a bool): they must be
# real bools, because any non-empty string (even "no" or "False") would otherwise count as true.
SWITCHES = tuple(
    name for name, default in Options._field_defaults.items() if isinstance(default, bool)
)


# The options last found valid as they were given, or None: a caller repairing many
# short texts passes the same object every time, and an Options and all its fields are
# immutable, so the same object is still valid (checking it again was a tenth of a call).
_last_valid: list[Options | None] = [None]


def resolve_options(options: Options | None, overrides: dict[str, Any]) -> Options:
    """Apply keyword overrides to `options` and check every field, with clear errors."""
    base = options if options is not None else _DEFAULT
    if not overrides and base is _last_valid[0]:
        return base
    if not isinstance(base, Options):
        raise TypeError(f"options must be a textrepair.Options, not {type(base).__name__}")
    unknown = sorted(set(overrides) - set(Options._fields))
    if unknown:
        raise TypeError(
            f"unknown option(s) {', '.join(unknown)}; known: {', '.join(Options._fields)}"
        )
    resolved = base._replace(**overrides) if overrides else base
    for name in SWITCHES:
        value = getattr(resolved, name)
        if not isinstance(value, bool):
            raise TypeError(f"{name} must be True or False, not {value!r}")
    _check_number("min_confidence", resolved.min_confidence)
    if not 0.0 <= resolved.min_confidence <= 1.0:
        raise ValueError(f"min_confidence must be in [0, 1], not {resolved.min_confidence!r}")
    if resolved.time_budget is not None:
        _check_number("time_budget", resolved.time_budget)
        if resolved.time_budget < 0:
            raise ValueError(f"time_budget must be >= 0 seconds, not {resolved.time_budget!r}")
    lexicon = _lexicon_path(resolved.lexicon)
    if lexicon is not resolved.lexicon:
        return resolved._replace(lexicon=lexicon)
    if not overrides:
        _last_valid[0] = resolved
    return resolved


def _check_number(name: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} must be a number, not {value!r}")
    if math.isnan(value):
        raise ValueError(f"{name} must be a number, not nan")


def _lexicon_path(lexicon: object) -> str | None:
    """The lexicon option as a path string (or None); anything else is refused."""
    if lexicon is None:
        return None
    path = os.fspath(lexicon) if isinstance(lexicon, os.PathLike) else lexicon
    if not isinstance(path, str):
        raise TypeError(f"lexicon must be a file path (str or os.PathLike), not {lexicon!r}")
    if not path:
        raise ValueError("lexicon must be a file path, not an empty string")
    return path
