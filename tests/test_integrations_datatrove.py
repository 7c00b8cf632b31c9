"""textrepair's datatrove blocks in a real pipeline: reader, blocks, writer, run by
datatrove's LocalPipelineExecutor with two tasks on two worker processes.

Skipped unless the extra is installed: pip install "textrepair[datatrove]".
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

pytest.importorskip(
    "datatrove", reason='needs the datatrove extra: pip install "textrepair[datatrove]"'
)

from datatrove.data import Document
from datatrove.executor import LocalPipelineExecutor
from datatrove.pipeline.readers import JsonlReader
from datatrove.pipeline.writers import JsonlWriter

import textrepair
from textrepair.integrations.datatrove import SpinScoreFilter, TextRepairFormatter

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
SEED = CORPUS / "spun" / "ft-2021-02-26-syria-strikes.spun.txt"
CLEAN = CORPUS / "clean" / "science-ocean-research.clean.txt"

DOCS = {
    "seed": SEED.read_text(encoding="utf-8"),
    "clean": CLEAN.read_text(encoding="utf-8"),
    "mojibake": "CafÃ© owners said the fish &amp; chips stall reopened.\r\n",
    "glued": "Pentagon officials confirmed the airstrikesFeb 15.",
}


def _write_inputs(folder: Path) -> None:
    """Two JSONL files, so that each of the two tasks reads one."""
    folder.mkdir()
    names = list(DOCS)
    for part, chunk in enumerate((names[:2], names[2:])):
        lines = [json.dumps({"id": name, "text": DOCS[name]}) for name in chunk]
        (folder / f"part{part}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _read_outputs(folder: Path) -> dict[str, dict]:
    records = {}
    for path in sorted(folder.glob("*.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as lines:
            for line in lines:
                record = json.loads(line)
                records[record["id"]] = record
    return records


def _run(pipeline: list, logs: Path) -> None:
    LocalPipelineExecutor(pipeline, tasks=2, workers=2, logging_dir=str(logs)).run()


def test_pipeline_repairs_and_annotates_every_document(tmp_path: Path) -> None:
    _write_inputs(tmp_path / "in")
    _run(
        [
            JsonlReader(str(tmp_path / "in")),
            SpinScoreFilter(),
            TextRepairFormatter(),
            JsonlWriter(str(tmp_path / "out")),
        ],
        tmp_path / "logs",
    )
    written = _read_outputs(tmp_path / "out")
    assert set(written) == set(DOCS)
    for name, text in DOCS.items():
        record, repair, spin = written[name], textrepair.repair(text), textrepair.score(text)
        assert record["text"] == repair.text
        assert record["metadata"]["textrepair_edits"] == len(repair.edits)
        assert record["metadata"]["spin_score"] == spin.score
        assert record["metadata"]["spin_level"] == spin.level
        assert record["metadata"]["spin_giveaways"] == len(spin.evidence)
    assert written["seed"]["metadata"]["spin_level"] == "high"
    assert written["clean"]["text"] == DOCS["clean"]
    assert written["mojibake"]["text"] == "Café owners said the fish & chips stall reopened.\n"

    # The blocks' counts are datatrove stats, merged over both tasks.
    stats = json.loads((tmp_path / "logs" / "stats.json").read_text(encoding="utf-8"))
    formatter = next(block["stats"] for block in stats if "textrepair" in block["name"])
    total_edits = sum(len(textrepair.repair(text).edits) for text in DOCS.values())
    assert formatter["total"] == len(DOCS)
    assert formatter["changed"] == 3  # all but the clean text
    assert formatter["edits"]["total"] == total_edits
    assert formatter["edits_unspin"]["total"] == sum(
        edit.stage == "unspin" for text in DOCS.values() for edit in textrepair.repair(text).edits
    )


@pytest.mark.parametrize(
    ("drop", "kept"), [("spun", {"clean", "mojibake", "glued"}), ("clean", {"seed"})]
)
def test_filter_drops_by_threshold(tmp_path: Path, drop: str, kept: set[str]) -> None:
    _write_inputs(tmp_path / "in")
    _run(
        [
            JsonlReader(str(tmp_path / "in")),
            SpinScoreFilter(
                threshold=0.5, drop=drop, exclusion_writer=JsonlWriter(str(tmp_path / "dropped"))
            ),
            JsonlWriter(str(tmp_path / "out")),
        ],
        tmp_path / "logs",
    )
    assert set(_read_outputs(tmp_path / "out")) == kept
    dropped = _read_outputs(tmp_path / "dropped")
    assert set(dropped) == set(DOCS) - kept
    reason = "spun" if drop == "spun" else "not_spun"
    assert {record["metadata"]["filter_reason"] for record in dropped.values()} == {reason}


def test_filter_scores_with_the_users_lexicon(tmp_path: Path) -> None:
    site = tmp_path / "site.tsv"
    site.write_text("Unified States\tUnited States\n", encoding="utf-8")
    text = "The Unified States said the operation had been delayed by the weather."
    plain, mine = Document(text, "a"), Document(text, "b")
    assert SpinScoreFilter().filter(plain) is True
    assert SpinScoreFilter(threshold=0.3, lexicon=str(site)).filter(mine) == (False, "spun")
    assert (plain.metadata["spin_giveaways"], mine.metadata["spin_giveaways"]) == (0, 1)


def test_options_are_checked_when_the_pipeline_is_built() -> None:
    with pytest.raises(TypeError, match="unknown option"):
        TextRepairFormatter(unspun=False)
    with pytest.raises(ValueError, match="threshold"):
        SpinScoreFilter(threshold=5)
    assert TextRepairFormatter(unspin=False).format("teams in japanese Syria") == (
        "teams in japanese Syria"
    )
