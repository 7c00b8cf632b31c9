"""A visual report: one self-contained HTML page showing what textrepair did to a text.

For each document: its spin score, the edits per stage, the repaired text with every
edit highlighted (hover shows what stood there before; click or focus shows the before,
stage, reason and confidence in a panel), each paragraph's own spin score with its
evidence, and the repaired text in a box ready to copy. The page loads nothing: its
style and script are inline, so it can be mailed or archived as one file.

The edits are those of `textrepair.repair` on the whole document, the same edits the
command-line filter writes with ``--explain`` for an input of up to 256 KiB (a longer
input is repaired by the filter in parts). See docs/report.md.

>>> import io
>>> out = io.StringIO()
>>> write_report({"page.txt": "CafÃ© menu"}, out)
>>> out.getvalue().count('<mark class="edit')
1
"""

from __future__ import annotations

import bisect
import html
import itertools
import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any, TextIO

import textrepair

from .edits import Edit
from .lexicon import selected_lexicon
from .options import Options, resolve_options
from .spinscore import SpinScore

__all__ = ["render_report", "write_report"]

Documents = Mapping[str, "str | bytes"] | Iterable[tuple[str, "str | bytes"]]

# Where paragraphs part on the page: a line break, then one or more lines holding nothing
# or only whitespace (scraped pages leave no-break spaces on empty lines). Display only:
# the edits do not depend on it.
PARAGRAPH_BREAK = re.compile(r"\r?\n(?:[^\S\n]*\n)+")

# Stage colours (background of the highlighted edit); the legend shows them too.
STAGE_COLOURS = {
    "encoding": "#cfe3ff",
    "normalise": "#e4e4e4",
    "glue": "#ffd9b3",
    "unspin": "#c8f0c0",
}
LEVEL_COLOURS = {"clean": "#2e7d32", "low": "#7c8b00", "suspicious": "#e07000", "high": "#c62828"}


def write_report(
    documents: Documents, out: TextIO, options: Options | None = None, **overrides: Any
) -> None:
    """Repair each document and write the report page to `out`.

    `documents` maps a name (a file name, say) to its text, or is an iterable of
    ``(name, text)`` pairs; a text may be bytes of unknown encoding, decoded as
    `textrepair.repair` decodes it. `options` and keyword overrides are those of
    `textrepair.repair`.
    """
    out.write(render_report(documents, options, **overrides))


def render_report(documents: Documents, options: Options | None = None, **overrides: Any) -> str:
    """The report page for `documents` as a string (see `write_report`)."""
    resolved = resolve_options(options, overrides)
    pairs = list(documents.items() if isinstance(documents, Mapping) else documents)
    sections = [
        _document_section(index, name, _as_text(text), resolved)
        for index, (name, text) in enumerate(pairs)
    ]
    contents = "".join(
        f'<li><a href="#doc{index}">{html.escape(name)}</a></li>'
        for index, (name, _) in enumerate(pairs)
    )
    title = "textrepair report" + (f": {pairs[0][0]}" if len(pairs) == 1 else "")
    return PAGE.format(
        title=html.escape(title),
        style=STYLE + _stage_style(),
        script=SCRIPT,
        version=html.escape(textrepair.__version__),
        contents=f"<nav><ol>{contents}</ol></nav>" if len(pairs) > 1 else "",
        legend=_legend(),
        sections="".join(sections),
    )


def _as_text(text: str | bytes) -> str:
    return text if isinstance(text, str) else textrepair.decode_bytes(bytes(text))[0]


def _document_section(index: int, name: str, text: str, options: Options) -> str:
    result = textrepair.repair(text, options)
    spin = _score(text, options)
    stages = Counter(edit.stage for edit in result.edits)
    stage_rows = "".join(
        f'<tr><td><span class="swatch {_stage_classes(stage)}"></span>{html.escape(stage)}</td>'
        f'<td class="count" data-stage="{html.escape(stage)}">{count}</td></tr>'
        for stage, count in sorted(stages.items(), key=lambda item: (-item[1], item[0]))
    )
    paragraphs = "".join(
        _paragraph(index, text, block, result.edits, options)
        for block in _blocks(text, result.edits)
    )
    return SECTION.format(
        index=index,
        name=html.escape(name),
        score=_badge(spin),
        words=spin.words,
        density=spin.density,
        giveaways=len(spin.evidence),
        edits=len(result.edits),
        stage_rows=stage_rows or '<tr><td colspan="2">no edits: the text is unchanged</td></tr>',
        paragraphs=paragraphs,
        restored=html.escape(result.text),
        chars=len(result.text),
    )


def _blocks(text: str, edits: tuple[Edit, ...]) -> list[tuple[int, int, int, int]]:
    """Paragraph blocks (start, body end, end, index of their first edit) covering `text`.

    A block is a paragraph (start to body end) and the blank lines after it (to end). A
    break inside an edit's span joins the paragraphs on either side, so every edit lies
    in one block.
    """
    starts = [edit.start for edit in edits]  # sorted, and the edits do not overlap

    def inside_an_edit(cut: int) -> bool:
        before = bisect.bisect_left(starts, cut) - 1  # the last edit starting before cut
        return before >= 0 and edits[before].end > cut

    breaks = [
        (match.start(), match.end())
        for match in PARAGRAPH_BREAK.finditer(text)
        if match.end() < len(text) and not inside_an_edit(match.end())
    ]
    bounds = [(0, 0), *breaks, (len(text), len(text))]
    blocks, first = [], 0
    for (_, start), (body_end, end) in itertools.pairwise(bounds):
        blocks.append((start, body_end, end, first))
        while first < len(edits) and edits[first].start < end:
            first += 1
    return blocks


def _paragraph(
    doc: int,
    text: str,
    block: tuple[int, int, int, int],
    edits: tuple[Edit, ...],
    options: Options,
) -> str:
    """One paragraph block: its repaired text with the edits marked, and its score.

    The blank lines after the paragraph are shown only when an edit changed them.
    """
    start, body_end, end, first = block
    parts, position, number = [], start, first
    while number < len(edits) and edits[number].start < end:
        edit = edits[number]
        parts.append(html.escape(text[position : edit.start]))
        parts.append(_mark(doc, number, edit))
        position, number = edit.end, number + 1
    shown_end = end if position > body_end else body_end
    parts.append(html.escape(text[position:shown_end]))
    body = text[start:body_end]
    aside = ""
    if body.strip():
        spin = _score(body, options)
        aside = _badge(spin) + _evidence(spin)
    return (
        f'<div class="para" data-edits="{number - first}"><p class="text">{"".join(parts)}</p>'
        f'<aside class="spin">{aside}</aside></div>'
    )


def _score(text: str, options: Options) -> SpinScore:
    """`textrepair.score` with the lexicon the repair used (the user's rows included)."""
    return textrepair.score(text, selected_lexicon(options.lexicon, options.thesaurus))


def _mark(doc: int, number: int, edit: Edit) -> str:
    """An edit as a highlighted span: the text now, with what it was and why."""
    details = {
        "before": edit.before,
        "after": edit.after,
        "stage": edit.stage,
        "reason": edit.reason,
        "confidence": round(edit.confidence, 4),
        "start": edit.start,
        "end": edit.end,
    }
    title = f"was: {_visible(edit.before)}\n{edit.stage}, confidence {details['confidence']}"
    classes, sign = f"edit {_stage_classes(edit.stage)}", ""
    if not edit.after.strip():  # nothing to see: show a sign for what the edit left
        classes += " invisible"
        sign = ' data-sign="{}"'.format(
            "⌫" if not edit.after else "↵" if "\n" in edit.after else "␣"
        )
    return (
        f'<mark class="{classes}"{sign} tabindex="0"'
        f' id="d{doc}e{number}" data-edit="{html.escape(json.dumps(details))}"'
        f' title="{html.escape(title)}">{html.escape(edit.after)}</mark>'
    )


def _visible(text: str) -> str:
    """`text` with invisible characters written as escapes, for the hover title."""
    return (
        "".join(
            char if (char.isprintable() and not char.isspace()) or char == " " else repr(char)[1:-1]
            for char in text
        )
        or "(nothing)"
    )


def _badge(spin: SpinScore) -> str:
    colour = LEVEL_COLOURS[spin.level]
    return (
        f'<span class="badge" style="background:{colour}" data-level="{spin.level}">'
        f"spin {spin.score:.2f} · {spin.level}</span>"
    )


def _evidence(spin: SpinScore) -> str:
    if not spin.evidence:
        return ""
    items = "".join(
        f"<li><q>{html.escape(item.text)}</q> → <q>{html.escape(item.original)}</q>"
        f' <small title="log10 of how much likelier the original is in context">'
        f"10<sup>{item.log_ratio:.1f}</sup></small></li>"
        for item in spin.evidence
    )
    return f'<ul class="evidence">{items}</ul>'


def _stage_classes(stage: str) -> str:
    return " ".join(f"stage-{part}" for part in stage.split("+"))


def _stage_style() -> str:
    return "".join(
        f".stage-{stage}{{background:{colour}}}" for stage, colour in STAGE_COLOURS.items()
    )


def _legend() -> str:
    return "".join(f'<span class="swatch stage-{stage}"></span>{stage} ' for stage in STAGE_COLOURS)


PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy"
content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<title>{title}</title><style>{style}</style></head>
<body><header><h1>{title}</h1>
<p class="help">Highlighted: every edit, coloured by stage ({legend}). Hover an edit to
see what stood there; click it for the stage, reason and confidence. Beside each paragraph,
its own spin score and the giveaways behind it; the decision to unspin is taken on the
whole document. Made by textrepair {version}.</p>{contents}</header>
<main>{sections}</main>
<aside id="details" hidden><button type="button" class="close" aria-label="close">&times;</button>
<dl><dt>before</dt><dd class="before"></dd><dt>after</dt><dd class="after"></dd>
<dt>stage</dt><dd class="stage"></dd><dt>reason</dt><dd class="reason"></dd>
<dt>confidence</dt><dd class="confidence"></dd><dt>input offsets</dt><dd class="span"></dd></dl>
</aside><script>{script}</script></body></html>
"""

SECTION = """<section class="document" id="doc{index}"><h2>{name}</h2>
<div class="summary"><div>{score}<p>{words} words, {giveaways} giveaways
({density} per 100 words)</p></div>
<div><p><b class="edit-count">{edits}</b> edits</p>
<table class="stages"><tbody>{stage_rows}</tbody></table></div></div>
<div class="paragraphs">{paragraphs}</div>
<h3>Restored text</h3>
<div class="restored"><button type="button" class="copy">Copy</button>
<span class="copied" hidden>copied</span> <small>{chars} characters</small>
<textarea readonly rows="12" spellcheck="false">
{restored}</textarea></div></section>
"""

STYLE = """
body{font:16px/1.5 system-ui,sans-serif;margin:0 auto;max-width:1100px;padding:0 1.5em 4em;
color:#1b1b1b;background:#fafaf7}
h1{font-size:1.4em;margin:.8em 0 .2em}h2{border-bottom:2px solid #ccc;margin-top:1.5em}
.help{color:#555;font-size:.9em;max-width:60em}
.summary{display:flex;gap:3em;align-items:flex-start}.summary p{margin:.3em 0}
.stages td{padding:0 .8em 0 0}.count{text-align:right}
.badge{color:#fff;border-radius:1em;padding:.1em .7em;font-size:.85em;white-space:nowrap}
.swatch{display:inline-block;width:.9em;height:.9em;border:1px solid #999;margin-right:.3em;
vertical-align:-.1em}
.para{display:grid;grid-template-columns:minmax(0,1fr) 17em;gap:1.5em;border-top:1px solid #e6e6e6}
.para .text{white-space:pre-wrap;margin:.6em 0}
.spin{font-size:.85em;padding-top:.7em}.evidence{padding-left:1.2em;margin:.4em 0;color:#444}
mark.edit{color:inherit;border-radius:3px;padding:0 1px;cursor:pointer;
box-shadow:inset 0 -2px rgba(0,0,0,.25)}
mark.edit:hover,mark.edit:focus,mark.edit.selected{outline:2px solid #1a57d6}
mark.invisible::before{content:attr(data-sign);color:#777;font-size:.8em}
#details{position:fixed;right:1em;bottom:1em;width:26em;max-height:60vh;overflow:auto;
background:#fff;border:1px solid #888;border-radius:6px;box-shadow:0 4px 18px rgba(0,0,0,.2);
padding:.6em 1em;font-size:.9em}
#details dl{display:grid;grid-template-columns:7em 1fr;margin:0}#details dd{margin:0;
white-space:pre-wrap;word-break:break-word}#details dt{color:#666}
#details .close{float:right;border:0;background:none;font-size:1.3em;cursor:pointer}
.restored textarea{width:100%;box-sizing:border-box;font:14px/1.4 ui-monospace,monospace}
.copied{color:#2e7d32}
"""

SCRIPT = """
const panel = document.getElementById('details');
let selected = null;
function show(mark) {
  const edit = JSON.parse(mark.dataset.edit);
  for (const key of ['before', 'after', 'stage', 'reason', 'confidence']) {
    panel.querySelector('.' + key).textContent = String(edit[key]);
  }
  panel.querySelector('.span').textContent = edit.start + '-' + edit.end;
  if (selected) selected.classList.remove('selected');
  selected = mark;
  mark.classList.add('selected');
  panel.hidden = false;
}
document.addEventListener('click', (event) => {
  const mark = event.target.closest('mark.edit');
  if (mark) show(mark);
});
document.addEventListener('focusin', (event) => {
  if (event.target.matches('mark.edit')) show(event.target);
});
panel.querySelector('.close').addEventListener('click', () => {
  panel.hidden = true;
  if (selected) selected.classList.remove('selected');
  selected = null;
});
for (const box of document.querySelectorAll('.restored')) {
  const area = box.querySelector('textarea');
  box.querySelector('.copy').addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(area.value);
    } catch (error) {
      area.select();
      document.execCommand('copy');
    }
    box.querySelector('.copied').hidden = false;
  });
}
"""
