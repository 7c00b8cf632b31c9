"""The edit model: every change textrepair makes is an explained `Edit`.

Stages return edits on their own input. The pipeline composes them, so the edits a
caller sees are always spans of the text the caller passed in, and applying them in
reverse (`undo`) rebuilds that text exactly.
"""

from __future__ import annotations

import difflib
import itertools
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

# Above this many characters on either side, a changed region is reported as one edit
# instead of being diffed character by character: difflib is quadratic, and a single
# coarse edit still records the exact text it replaced.
MAX_DIFF_LENGTH = 2_000

# A character-level change is widened to the whole token around it ("CafÃ©" -> "Café",
# not "Ã©" -> "é"), reaching at most this far, so edits read as words.
MAX_WIDEN = 32

_TOKEN_OR_SPACE = re.compile(r"\S+\s*|\s+")  # a token with the space after it


@dataclass(frozen=True, slots=True)
class Edit:
    """One change: `before` at `start:end` became `after`.

    `start` and `end` index the text the edit applies to (for edits returned by
    `textrepair.repair`, the caller's input). `stage` names the pipeline stage,
    `reason` says why in words, and `confidence` is in [0, 1].
    """

    start: int
    end: int
    before: str
    after: str
    stage: str
    reason: str
    confidence: float = 1.0

    def as_dict(self) -> dict[str, object]:
        """The edit as a plain dict, e.g. for JSON output."""
        return {
            "start": self.start,
            "end": self.end,
            "before": self.before,
            "after": self.after,
            "stage": self.stage,
            "reason": self.reason,
            "confidence": round(self.confidence, 4),
        }


def with_unclaimed(edits: Sequence[Edit], extra: Iterable[Edit]) -> list[Edit]:
    """`edits` and each edit of `extra` that overlaps none of them, in text order."""
    added = [x for x in extra if not any(e.start < x.end and x.start < e.end for e in edits)]
    return sorted([*edits, *added], key=lambda e: e.start) if added else list(edits)


def apply_edits(text: str, edits: Sequence[Edit]) -> str:
    """Apply sorted, non-overlapping edits to `text`.

    >>> apply_edits("teams of teams", [Edit(0, 5, "teams", "groups", "unspin", "demo")])
    'groups of teams'
    """
    parts: list[str] = []
    position = 0
    for edit in edits:
        if edit.start < position or text[edit.start : edit.end] != edit.before:
            raise ValueError(f"edit does not fit the text: {edit!r}")
        parts.append(text[position : edit.start])
        parts.append(edit.after)
        position = edit.end
    parts.append(text[position:])
    return "".join(parts)


def undo_edits(text: str, edits: Sequence[Edit]) -> str:
    """Rebuild the input from the output `text` and the edits that produced it."""
    parts: list[str] = []
    position = 0  # in the output text
    shift = 0  # output offset minus input offset so far
    for edit in edits:
        out_start = edit.start + shift
        out_end = out_start + len(edit.after)
        if text[out_start:out_end] != edit.after:
            raise ValueError(f"edit does not fit the repaired text: {edit!r}")
        parts.append(text[position:out_start])
        parts.append(edit.before)
        position = out_end
        shift += len(edit.after) - len(edit.before)
    parts.append(text[position:])
    return "".join(parts)


def diff_edits(
    before: str,
    after: str,
    *,
    offset: int,
    stage: str,
    reason: str,
    confidence: float = 1.0,
) -> list[Edit]:
    """Describe how `before` became `after` as small edits, offset into a larger text."""
    prefix = _common_prefix_length(before, after)
    suffix = _common_suffix_length(before[prefix:], after[prefix:])
    old = before[prefix : len(before) - suffix]
    new = after[prefix : len(after) - suffix]
    base = offset + prefix
    if not old and not new:
        return []
    if len(old) > MAX_DIFF_LENGTH or len(new) > MAX_DIFF_LENGTH:
        return [Edit(base, base + len(old), old, new, stage, reason, confidence)]

    spans: list[list[int]] = []  # [old_start, old_end, new_start, new_end], widened
    for i1, i2, j1, j2 in _changes(old, new):
        left = _token_run(before, prefix + i1, -1) - prefix
        right = _token_run(before, prefix + i2, 1) - prefix
        if spans and left <= spans[-1][1]:
            spans[-1][1], spans[-1][3] = right, j2 + (right - i2)
        else:
            spans.append([left, right, j1 - (i1 - left), j2 + (right - i2)])
    return [
        Edit(
            base + i1,
            base + i2,
            before[prefix + i1 : prefix + i2],
            after[prefix + j1 : prefix + j2],
            stage,
            reason,
            confidence,
        )
        for i1, i2, j1, j2 in spans
    ]


def _changes(old: str, new: str) -> Iterator[tuple[int, int, int, int]]:
    """Changed character ranges (old_start, old_end, new_start, new_end), in order.

    Tokens and spaces are aligned first and characters only within the token runs that
    differ: difflib is quadratic in its inputs, paragraphs are long and tokens short.
    """
    old_tokens, new_tokens = _TOKEN_OR_SPACE.findall(old), _TOKEN_OR_SPACE.findall(new)
    old_at = [0, *itertools.accumulate(map(len, old_tokens))]
    new_at = [0, *itertools.accumulate(map(len, new_tokens))]
    tokens = difflib.SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
    for tag, i1, i2, j1, j2 in tokens.get_opcodes():
        if tag == "equal":
            continue
        a, b = old_at[i1], new_at[j1]
        characters = difflib.SequenceMatcher(
            None, old[a : old_at[i2]], new[b : new_at[j2]], autojunk=False
        )
        for inner, k1, k2, m1, m2 in characters.get_opcodes():
            if inner != "equal":
                yield a + k1, a + k2, b + m1, b + m2


def _token_run(text: str, position: int, direction: int) -> int:
    """How far the non-space run around `position` reaches in `direction` (bounded)."""
    limit = MAX_WIDEN
    if direction < 0:
        while limit and position > 0 and not text[position - 1].isspace():
            position -= 1
            limit -= 1
    else:
        while limit and position < len(text) and not text[position].isspace():
            position += 1
            limit -= 1
    return position


def compose(
    original: str, earlier: Sequence[Edit], intermediate: str, later: Sequence[Edit]
) -> list[Edit]:
    """Combine edits on `original` with edits on its repaired `intermediate` text.

    `earlier` maps `original` to `intermediate`; `later` are edits on `intermediate`.
    The result maps `original` straight to the final text. Where a later edit touches
    text an earlier edit wrote, the two become one edit whose stage and reason name both.
    """
    if not earlier or not later:
        return list(earlier) or list(later)

    # Place the earlier edits in intermediate coordinates, then group what overlaps.
    placed: list[tuple[int, int, bool, Edit]] = []  # (start, end, is_later, edit)
    shift = 0
    for edit in earlier:
        start = edit.start + shift
        placed.append((start, start + len(edit.after), False, edit))
        shift += len(edit.after) - len(edit.before)
    placed.extend((edit.start, edit.end, True, edit) for edit in later)
    placed.sort(key=lambda item: (item[0], item[1], item[2]))

    groups: list[list[tuple[int, int, bool, Edit]]] = []
    group_end = -1
    for item in placed:
        if groups and _overlaps(item[0], item[1], groups[-1][0][0], group_end):
            groups[-1].append(item)
            group_end = max(group_end, item[1])
        else:
            groups.append([item])
            group_end = item[1]

    result: list[Edit] = []
    shift = 0  # intermediate offset minus original offset, before the current group
    for group in groups:
        old = [edit for _, _, is_later, edit in group if not is_later]
        new = [edit for _, _, is_later, edit in group if is_later]
        shift_after = shift + sum(len(e.after) - len(e.before) for e in old)
        if not new:
            result.extend(old)
        elif not old:
            result.extend(_moved(e, -shift) for e in new)
        else:
            mid_start = min(item[0] for item in group)
            mid_end = max(item[1] for item in group)
            orig_start, orig_end = mid_start - shift, mid_end - shift_after
            after = apply_edits(
                intermediate[mid_start:mid_end], [_moved(e, -mid_start) for e in new]
            )
            both = old + new
            result.append(
                Edit(
                    orig_start,
                    orig_end,
                    original[orig_start:orig_end],
                    after,
                    "+".join(_unique(e.stage for e in both)),
                    "; ".join(_unique(e.reason for e in both)),
                    min(e.confidence for e in both),
                )
            )
        shift = shift_after
    return result


def _moved(edit: Edit, by: int) -> Edit:
    return Edit(
        edit.start + by,
        edit.end + by,
        edit.before,
        edit.after,
        edit.stage,
        edit.reason,
        edit.confidence,
    )


def _overlaps(start: int, end: int, group_start: int, group_end: int) -> bool:
    """Whether an edit span meets a group's span in more than a shared boundary."""
    if start == end:
        return group_start < start < group_end
    if group_start == group_end:
        return start < group_start < end
    return start < group_end and group_start < end


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _common_prefix_length(a: str, b: str) -> int:
    limit = min(len(a), len(b))
    i = 0
    # Compare in growing blocks first: most lines differ in a few places only.
    step = 64
    while i + step <= limit and a[i : i + step] == b[i : i + step]:
        i += step
    while i < limit and a[i] == b[i]:
        i += 1
    return i


def _common_suffix_length(a: str, b: str) -> int:
    return _common_prefix_length(a[::-1], b[::-1])
