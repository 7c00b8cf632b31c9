"""The integration examples in docs/ run, and print what the docs show.

From every page, the Python blocks that use `textrepair.integrations` or
`textrepair.report` run in order, each as its own script, in a fresh folder holding the
page's example files (each ``$ cat NAME`` in a console block, with the lines it shows).
A Python block followed directly by a ``text`` block must print exactly that text. A
page is skipped when a block needs a module (datatrove, datasets) that is not installed.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import textrepair

DOCS = Path(__file__).resolve().parent.parent / "docs"
FENCE = re.compile(r"^```(\w*)\n(.*?)^```\n", re.MULTILINE | re.DOTALL)
IMPORT = re.compile(r"^(?:from|import) (\w+)", re.MULTILINE)
USES_INTEGRATION = re.compile(r"^from textrepair\.(?:integrations|report)\b", re.MULTILINE)


def _blocks(page: Path) -> list[tuple[str, str]]:
    return [(m[1], m[2]) for m in FENCE.finditer(page.read_text(encoding="utf-8"))]


def _files(blocks: list[tuple[str, str]]) -> dict[str, str]:
    """The example files a page shows with ``$ cat NAME`` (the lines up to the next $)."""
    files: dict[str, str] = {}
    for language, body in blocks:
        if language != "console":
            continue
        for match in re.finditer(r"^\$ cat (\S+)\n((?:(?!\$ ).*\n)*)", body, re.MULTILINE):
            files[match[1]] = match[2]
    return files


def _examples(blocks: list[tuple[str, str]]) -> list[tuple[str, str | None]]:
    """(code, expected output or None) for each integration example, in page order.

    An example is a Python block that uses the integrations, or a Python block right
    after an example (it reads what the example wrote, e.g. a pipeline's output).
    """
    examples: list[tuple[str, str | None]] = []
    previous_was_example = False
    for index, (language, body) in enumerate(blocks):
        is_example = language == "python" and (
            previous_was_example or bool(USES_INTEGRATION.search(body))
        )
        if is_example:
            after = blocks[index + 1] if index + 1 < len(blocks) else ("", "")
            examples.append((body, after[1] if after[0] == "text" else None))
        previous_was_example = is_example
    return examples


PAGES = sorted(page for page in DOCS.glob("*.md") if _examples(_blocks(page)))


def test_the_pages_with_integration_examples_are_found() -> None:
    assert {page.name for page in PAGES} >= {"integrations.md", "quickstart.md", "report.md"}


@pytest.mark.parametrize("page", PAGES, ids=[page.name for page in PAGES])
def test_examples_run_and_print_what_the_page_shows(page: Path, tmp_path: Path) -> None:
    blocks = _blocks(page)
    examples = _examples(blocks)
    missing = {
        module
        for code, _ in examples
        for module in IMPORT.findall(code)
        if importlib.util.find_spec(module) is None
    }
    if missing:
        pytest.skip(f"needs {', '.join(sorted(missing))} (the extras of the same names)")
    for name, content in _files(blocks).items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(content, encoding="utf-8")
    environment = {
        **os.environ,
        # The textrepair under test, wherever the examples run from.
        "PYTHONPATH": os.pathsep.join(
            [str(Path(textrepair.__file__).resolve().parents[1]), os.environ.get("PYTHONPATH", "")]
        ),
        "HF_DATASETS_OFFLINE": "1",  # nothing may reach the network or a hub
        "HF_HUB_OFFLINE": "1",
        "HF_HOME": str(tmp_path / "hf-home"),
        "HF_DATASETS_CACHE": str(tmp_path / "hf-cache"),
    }
    for number, (code, expected) in enumerate(examples):
        script = tmp_path / f"example_{number}.py"
        script.write_text(code, encoding="utf-8")
        run = subprocess.run(
            [sys.executable, script.name],
            cwd=tmp_path,
            env=environment,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert run.returncode == 0, f"example {number} of {page.name} failed:\n{run.stderr}"
        if expected is not None:
            assert run.stdout == expected, f"example {number} of {page.name}"
