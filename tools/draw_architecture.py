#!/usr/bin/env python3
"""Draw the data flow of textrepair as ``docs/architecture.svg``.

The picture is built with the docs: ``mkdocs build`` runs this through the hook in
``tools/docs_hooks.py``, so it never drifts from the list below. Run it by hand with
``python tools/draw_architecture.py`` (same bytes). Standard library only.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "docs" / "architecture.svg"

# The pipeline, top to bottom: (name, what it does).
PIPELINE = [
    ("input", "str, or bytes (UTF-8, else Windows-1252)"),
    ("encoding ⇄ normalise", "mojibake, entities, controls: up to 3 rounds"),
    ("glue", "stages/glue.py: split tokens a scraper glued"),
    ("unspin", "stages/unspin/: restore spun words →"),
    ("Repair", "text + edits on the input; undo()"),
]

# The floors of the unspin stage, in the order find_edits runs them:
# (module.function, what it does, what stops here, tables it reads).
FLOORS = [
    ("candidates.scan", "one Aho-Corasick pass: spans and readings", "no candidate", "lexicon"),
    ("gate.looks_clean", "context-free evidence, no model", "too little", "genuine rates"),
    ("evidence.gains", "each reading's gain in context", "", "trigram model"),
    ("gate.spin_rates", "is the document / each paragraph spun?", "rate 0", "genuine rates"),
    ("decoding.decide", "joint choice per cluster of candidates", "", "trigram model"),
    ("grammar.to_edits", "capitals, a/an: explained edits", "", ""),
]

WIDTH, BOX_W, BOX_H, GAP = 980, 330, 46, 22
LEFT_X, RIGHT_X, TOP = 20, 420, 40


def _box(x: int, y: int, title: str, note: str, fill: str) -> str:
    return (
        f'<rect x="{x}" y="{y}" width="{BOX_W}" height="{BOX_H}" rx="6" fill="{fill}" '
        f'stroke="#345"/>'
        f'<text x="{x + 10}" y="{y + 19}" font-weight="bold">{escape(title)}</text>'
        f'<text x="{x + 10}" y="{y + 37}" font-size="12">{escape(note)}</text>'
    )


def _arrow(x1: int, y1: int, x2: int, y2: int, dashed: bool = False) -> str:
    dash = ' stroke-dasharray="4 3"' if dashed else ""
    return (
        f'<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="#345"{dash} '
        f'marker-end="url(#head)"/>'
    )


def _label(x: int, y: int, text: str, colour: str = "#345") -> str:
    return f'<text x="{x}" y="{y}" font-size="12" fill="{colour}">{escape(text)}</text>'


def draw() -> str:
    """The SVG text of the picture."""
    parts = []
    step = BOX_H + GAP
    for index, (name, note) in enumerate(PIPELINE):
        y = TOP + index * step
        parts.append(_box(LEFT_X, y, name, note, "#eef3f8" if name != "unspin" else "#fdf2d8"))
        if index:
            parts.append(_arrow(LEFT_X + BOX_W // 2, y - GAP, LEFT_X + BOX_W // 2, y - 2))
    unspin_y = TOP + 3 * step + BOX_H // 2
    parts.append(_arrow(LEFT_X + BOX_W, unspin_y, RIGHT_X - 4, TOP + BOX_H // 2, dashed=True))
    for index, (name, note, stop, table) in enumerate(FLOORS):
        y = TOP + index * step
        parts.append(_box(RIGHT_X, y, f"{index + 1}. {name}", note, "#fdf2d8"))
        if index:
            parts.append(_arrow(RIGHT_X + BOX_W // 2, y - GAP, RIGHT_X + BOX_W // 2, y - 2))
        if stop:
            parts.append(_label(RIGHT_X + BOX_W + 12, y + 19, f"→ no edits if {stop}", "#a33"))
        if table:
            parts.append(_label(RIGHT_X + BOX_W + 12, y + 37, f"reads: {table}", "#363"))
    height = TOP + max(len(PIPELINE), len(FLOORS)) * step + 10
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" font-family="sans-serif" font-size="14">'
        '<defs><marker id="head" markerWidth="8" markerHeight="8" refX="7" refY="4" '
        'orient="auto"><path d="M0,0 L8,4 L0,8 z" fill="#345"/></marker></defs>'
        f"{_label(LEFT_X, 22, 'pipeline.run: every stage returns edits on its input')}"
        f"{_label(RIGHT_X, 22, 'stages/unspin/__init__.py: find_edits, floor by floor')}"
        + "".join(parts)
        + "</svg>\n"
    )


def write(path: Path = OUT) -> bool:
    """Write the picture if it changed; return whether it did."""
    svg = draw()
    if path.is_file() and path.read_text(encoding="utf-8") == svg:
        return False
    path.write_text(svg, encoding="utf-8")
    return True


if __name__ == "__main__":
    print(f"{'wrote' if write() else 'unchanged'}: {OUT}")
