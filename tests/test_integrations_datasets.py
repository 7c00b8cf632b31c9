"""repair_batch on a real Hugging Face `datasets.Dataset`, built in the test, offline.

Skipped unless the extra is installed: pip install "textrepair[datasets]".
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import textrepair
from textrepair.integrations.datasets import repair_batch

# Set before datasets is imported: nothing here may reach the network or a hub.
os.environ["HF_DATASETS_OFFLINE"] = "1"
os.environ["HF_HUB_OFFLINE"] = "1"
datasets = pytest.importorskip(
    "datasets", reason='needs the datasets extra: pip install "textrepair[datasets]"'
)

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
TEXTS = [
    (CORPUS / "spun" / "ft-2021-02-26-syria-strikes.spun.txt").read_text(encoding="utf-8"),
    (CORPUS / "clean" / "sport-rugby-season.clean.txt").read_text(encoding="utf-8"),
    "CafÃ© owners said the fish &amp; chips stall reopened.",
    None,
    "Kirby stated militia teams in japanese Syria claimed the latest assaults.",
]


@pytest.fixture
def dataset(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> datasets.Dataset:
    monkeypatch.setenv("HF_DATASETS_CACHE", str(tmp_path / "cache"))
    return datasets.Dataset.from_dict({"id": list(range(len(TEXTS))), "text": TEXTS})


def test_map_repairs_the_column_and_adds_the_optional_ones(dataset: datasets.Dataset) -> None:
    mapped = dataset.map(
        repair_batch,
        batched=True,
        batch_size=2,
        fn_kwargs={"with_score": True, "with_level": True, "with_edits": True},
    )
    assert mapped.column_names == ["id", "text", "spin_score", "spin_level", "textrepair_edits"]
    assert mapped["id"] == list(range(len(TEXTS)))
    for row, text in zip(mapped, TEXTS, strict=True):
        if text is None:
            assert row["text"] is row["spin_score"] is row["spin_level"] is None
            continue
        repair, spin = textrepair.repair(text), textrepair.score(text)
        assert row["text"] == repair.text
        assert row["textrepair_edits"] == len(repair.edits)
        assert row["spin_score"] == pytest.approx(spin.score)
        assert row["spin_level"] == spin.level
    assert mapped[0]["spin_level"] == "high"
    assert mapped[1]["text"] == TEXTS[1] and mapped[1]["textrepair_edits"] == 0
    assert mapped[2]["text"] == "Café owners said the fish & chips stall reopened."


def test_options_and_output_column_on_two_processes(dataset: datasets.Dataset) -> None:
    mapped = dataset.map(
        repair_batch,
        batched=True,
        num_proc=2,
        fn_kwargs={"output_column": "repaired", "unspin": False},
    )
    assert mapped.column_names == ["id", "text", "repaired"]
    assert mapped["text"] == TEXTS
    assert mapped["repaired"] == [
        None if text is None else textrepair.clean(text, unspin=False) for text in TEXTS
    ]
    assert mapped["repaired"][4] == TEXTS[4]  # unspin off: the spun words stay


def test_unknown_option_fails_at_once(dataset: datasets.Dataset) -> None:
    with pytest.raises(TypeError, match="unknown option"):
        dataset.map(repair_batch, batched=True, fn_kwargs={"unspun": False})


def test_score_uses_the_lexicon_the_repair_uses(tmp_path: Path) -> None:
    site = tmp_path / "site.tsv"
    site.write_text("Unified States\tUnited States\n", encoding="utf-8")
    text = "The Unified States said the operation had been delayed by the weather."
    plain = repair_batch({"text": [text]}, with_level=True)
    mine = repair_batch({"text": [text]}, with_level=True, lexicon=str(site))
    assert plain["spin_level"] == ["clean"]
    assert mine["spin_level"] == ["low"]  # one giveaway, from the user's row
