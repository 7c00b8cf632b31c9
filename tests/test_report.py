"""The HTML report: built offline, and rendered in a real headless Chromium.

The browser tests need Chromium (Debian's ``chromium`` package) and the Python
``playwright`` package (the ``report-test`` extra), and are skipped without them;
CI installs both. They assert on the page as the browser built it, not on the HTML.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import textrepair
from textrepair.report import PARAGRAPH_BREAK, render_report, write_report

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "corpus" / "spun" / "ft-2021-02-26-syria-strikes.spun.txt"
SPUN_SENTENCES = [
    "Kirby stated militia teams in japanese Syria claimed the latest assaults.",
    "CafÃ© owners said the fish &amp; chips stall reopened.",
    "Pentagon officials confirmed the airstrikesFeb 15.",
    "The committee met on Tuesday.",
]


def spun_paragraphs() -> st.SearchStrategy[str]:
    """One paragraph of damaged sentences (spun, mojibake, glued) and clean ones."""
    return st.lists(st.sampled_from(SPUN_SENTENCES), min_size=1, max_size=5).map(" ".join)


CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium")
# Chromium as a sealed box: no network of its own, no first-run or sync machinery.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class _Resources(HTMLParser):
    """Every attribute of the page that could make a browser fetch something."""

    def __init__(self) -> None:
        super().__init__()
        self.fetches: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("src", "href", "srcset", "poster", "data") and (value or "#")[0] != "#":
                self.fetches.append((tag, name, value or ""))


def test_page_is_self_contained_for_several_documents() -> None:
    page = render_report(
        [("a.txt", "CafÃ© menu"), ("b.txt", b"caf\xe9 ok"), ("c.txt", "The committee met.")]
    )
    parser = _Resources()
    parser.feed(page)
    assert parser.fetches == []
    assert "default-src 'none'" in page  # and the browser may not fetch even if asked
    assert [page.count(f'id="doc{n}"') for n in range(3)] == [1, 1, 1]
    out = io.StringIO()
    write_report({"a.txt": "CafÃ© menu"}, out, unspin=False)
    assert out.getvalue() == render_report(
        {"a.txt": "CafÃ© menu"}, textrepair.Options(unspin=False)
    )


class _PageText(HTMLParser):
    """The text of the page's paragraphs as a reader sees it, and the text of each edit."""

    def __init__(self) -> None:
        super().__init__()
        self.in_paragraph = self.in_mark = False
        self.text: list[str] = []
        self.marks: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if tag == "p" and "text" in classes:
            self.in_paragraph = True
        elif tag == "mark" and "edit" in classes:
            self.in_mark = True
            self.marks.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "p":
            self.in_paragraph = False
        elif tag == "mark":
            self.in_mark = False

    def handle_data(self, data: str) -> None:
        if self.in_paragraph:
            self.text.append(data)
        if self.in_mark:
            self.marks[-1] += data


@settings(max_examples=80)
@given(
    st.lists(
        st.text(st.characters(blacklist_categories=["Cs"]), max_size=80) | spun_paragraphs(),
        min_size=1,
        max_size=4,
    ).map("\n \r\n".join)
)
def test_page_shows_the_repaired_text_with_every_edit_marked(text: str) -> None:
    result = textrepair.repair(text)
    page = _PageText()
    page.feed(render_report({"t.txt": text}))
    page.close()
    assert page.marks == [edit.after for edit in result.edits]
    if PARAGRAPH_BREAK.search(text) is None:  # one paragraph: no blank lines left out
        assert "".join(page.text) == result.text


def test_unknown_option_is_refused() -> None:
    with pytest.raises(TypeError, match="unknown option"):
        render_report({"a.txt": "x"}, unspun=False)


def _explain_log(path: Path, tmp_path: Path) -> list[dict]:
    """The edits ``textrepair --explain`` writes for `path` (not its closing summary)."""
    log = tmp_path / "edits.jsonl"
    subprocess.run(
        [sys.executable, "-m", "textrepair", "--explain", str(log), str(path)],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    records = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    return [record for record in records if "before" in record]


@pytest.fixture
def browser_page(tmp_path: Path) -> Iterator:
    if CHROMIUM is None:
        pytest.skip("needs Chromium: apt-get install chromium")
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason='needs playwright: pip install "textrepair[report-test]"'
    )
    with sync_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "profile"),  # a fresh profile every time
            executable_path=CHROMIUM,
            args=CHROMIUM_ARGS,
            viewport={"width": 1280, "height": 900},
        )
        try:
            context.grant_permissions(["clipboard-read", "clipboard-write"])
            page = context.new_page()
            page.requests = []  # every URL the page asks for
            page.on("request", lambda request: page.requests.append(request.url))
            yield page
        finally:
            context.close()


def test_seed_report_in_chromium_lists_exactly_the_explained_edits(
    browser_page, tmp_path: Path
) -> None:
    text = SEED.read_text(encoding="utf-8")
    repair = textrepair.repair(text)
    explained = _explain_log(SEED, tmp_path)
    report = tmp_path / "report.html"
    with report.open("w", encoding="utf-8") as out:
        write_report({SEED.name: text}, out)
    page = browser_page
    page.goto(report.as_uri())

    # Exactly the edits --explain writes, in order, with their details.
    marks = page.locator("mark.edit")
    shown = [json.loads(item) for item in marks.evaluate_all("ms => ms.map(m => m.dataset.edit)")]
    keys = ("start", "end", "before", "after", "stage", "reason", "confidence")
    assert len(shown) == len(repair.edits) == len(explained) > 100
    assert [[e[k] for k in keys] for e in shown] == [[e[k] for k in keys] for e in explained]
    assert marks.evaluate_all("ms => ms.map(m => m.textContent)") == [e.after for e in repair.edits]
    assert page.locator(".edit-count").inner_text() == str(len(repair.edits))
    counts = page.locator(".stages .count").evaluate_all(
        "cs => cs.map(c => [c.dataset.stage, Number(c.textContent)])"
    )
    assert dict(counts) == Counter(edit.stage for edit in repair.edits)
    assert page.locator("mark.stage-unspin").count() > 100

    # Spin score per paragraph, and for the whole document.
    paragraphs = [p for p in PARAGRAPH_BREAK.split(text) if p.strip()]
    assert page.locator(".para .spin .badge").count() == len(paragraphs)
    assert page.locator(".summary .badge").get_attribute("data-level") == "high"
    assert page.locator(".para .evidence li").count() > 20

    # Hover shows the before text; click shows stage, reason and confidence.
    index, edit = next((i, e) for i, e in enumerate(repair.edits) if e.stage == "unspin")
    mark = marks.nth(index)
    assert edit.before in mark.get_attribute("title")
    assert page.locator("#details").is_hidden()
    mark.click()
    assert page.locator("#details").is_visible()
    assert page.locator("#details .before").inner_text() == edit.before
    assert page.locator("#details .stage").inner_text() == edit.stage
    assert page.locator("#details .reason").inner_text() == edit.reason
    assert float(page.locator("#details .confidence").inner_text()) == round(edit.confidence, 4)
    page.screenshot(path=str(tmp_path / "report.png"))
    assert (tmp_path / "report.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    if os.environ.get("TEXTREPAIR_SCREENSHOT"):  # how docs/report.png is made
        shutil.copy(tmp_path / "report.png", os.environ["TEXTREPAIR_SCREENSHOT"])

    # The restored text, ready to copy: the box holds it, and Copy puts it on the clipboard.
    assert page.locator(".restored textarea").input_value() == repair.text
    page.locator(".restored .copy").click()
    page.locator(".restored .copied").wait_for(state="visible")
    assert page.evaluate("navigator.clipboard.readText()") == repair.text

    assert page.requests == [report.as_uri()]  # nothing else was fetched
