"""The edit model: applying, undoing and composing edits."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from textrepair.edits import Edit, apply_edits, compose, diff_edits, undo_edits


def replace(start: int, end: int, text: str, after: str, stage: str = "s") -> Edit:
    return Edit(start, end, text[start:end], after, stage, "test")


def test_apply_and_undo() -> None:
    text = "latest assaults on teams"
    edits = [
        replace(0, 6, text, "recent"),
        replace(7, 15, text, "attacks"),
        replace(19, 24, text, "groups"),
    ]
    fixed = apply_edits(text, edits)
    assert fixed == "recent attacks on groups"
    assert undo_edits(fixed, edits) == text


def test_apply_rejects_an_edit_that_does_not_fit() -> None:
    with pytest.raises(ValueError, match="does not fit"):
        apply_edits("abc", [Edit(0, 1, "x", "y", "s", "test")])


def test_diff_edits_cover_whole_tokens() -> None:
    edits = diff_edits("a CafÃ© b", "a Café b", offset=10, stage="encoding", reason="r")
    assert [(e.start, e.end, e.before, e.after) for e in edits] == [(12, 17, "CafÃ©", "Café")]


def test_compose_merges_a_later_edit_inside_an_earlier_one() -> None:
    original = "xx CafÃ©Feb yy"
    first = diff_edits(original, "xx CaféFeb yy", offset=0, stage="encoding", reason="mojibake")
    middle = apply_edits(original, first)
    second = [Edit(7, 7, "", " ", "glue", "split")]
    combined = compose(original, first, middle, second)
    final = apply_edits(middle, second)
    assert final == "xx Café Feb yy"
    assert apply_edits(original, combined) == final
    assert undo_edits(final, combined) == original
    assert [e.stage for e in combined] == ["encoding+glue"]


edit_plans = st.lists(
    st.tuples(st.integers(0, 40), st.integers(0, 4), st.text(max_size=3)), max_size=6
)


def plan_edits(text: str, plan: list[tuple[int, int, str]], stage: str) -> list[Edit]:
    """Turn random (position, length, replacement) triples into valid edits on `text`."""
    edits: list[Edit] = []
    position = 0
    for offset, length, after in sorted(plan):
        start = max(position, offset)
        if start > len(text):
            break
        end = min(start + length, len(text))
        if text[start:end] == after:
            continue
        edits.append(Edit(start, end, text[start:end], after, stage, "random"))
        position = end + 1
    return edits


@given(st.text(max_size=40), edit_plans, edit_plans)
def test_composed_edits_map_the_original_to_the_final_text(
    original: str, first_plan: list[tuple[int, int, str]], second_plan: list[tuple[int, int, str]]
) -> None:
    first = plan_edits(original, first_plan, "one")
    middle = apply_edits(original, first)
    second = plan_edits(middle, second_plan, "two")
    final = apply_edits(middle, second)
    combined = compose(original, first, middle, second)
    assert apply_edits(original, combined) == final
    assert undo_edits(final, combined) == original
