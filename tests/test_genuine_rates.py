"""The genuine-rate table: built from the real corpus's training part only, reproducibly."""

from __future__ import annotations

import gzip
from pathlib import Path

from tests.tools import load_tool
from textrepair.evaluation import real_part

ROOT = Path(__file__).resolve().parent.parent


def _corpus(root: Path, texts: dict[str, str]) -> Path:
    (root / "clean").mkdir(parents=True)
    rows = ["file\turl\tlicence\tretrieved\tregister"]
    for name, text in texts.items():
        (root / name).write_text(text, encoding="utf-8")
        rows.append(f"{name}\thttps://example.gov/{name}\tpublic-domain\t2026-12-02\tpolice")
    (root / "manifest.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return root


def _rows(data: bytes) -> dict[str, list[str]]:
    lines = gzip.decompress(data).decode("utf-8").splitlines()
    return {line.split("\t")[0]: line.split("\t")[1:] for line in lines[1:]}


def test_table_counts_the_training_part_only_and_rebuilds_byte_for_byte(tmp_path: Path) -> None:
    names = [f"clean/police-{n}.txt" for n in range(40)]
    train = next(name for name in names if real_part(name) == "train")
    held = next(name for name in names if real_part(name) == "held-out")
    texts = {train: "Officers stated that the residence was empty.", held: "The residence."}
    tool = load_tool("build_genuine_rates")
    data, phrases, words, _ = tool.build(_corpus(tmp_path / "real", texts))
    assert words == 7 and phrases > 1000
    assert data == tool.build(tmp_path / "real")[0]
    rows = _rows(data)
    assert rows["stated"][0] == "1" and rows["residence"][0] == "1"  # not 2: held out
    # A form the training part writes is rarer in the model than in clean text: discounted.
    genuine, model = float(rows["stated"][3]), float(rows["stated"][2])
    assert genuine > model
    # The clean ratios are those of the training part's occurrences too, pooled on "*".
    assert rows["stated"][4] == "1" and rows["residence"][4] == "1"
    assert rows["*"][4] == str(sum(int(row[4]) for name, row in rows.items() if name != "*"))


def test_shipped_table_has_the_trusted_forms() -> None:
    data = (ROOT / "src" / "textrepair" / "data" / "genuine-rates.tsv.gz").read_bytes()
    rows = _rows(data)
    assert {"stated", "said", "imaginative and prescient", "vision", "lawyer basic"} <= set(rows)
    assert float(rows["imaginative and prescient"][3]) < float(rows["vision"][3]) - 6


def test_spun_page_counts_fold_spellings_and_leave_out_rejected_rows() -> None:
    """Swaps add up over originals and spellings; a lowercase spelling's genuine count
    already covers every capitalisation, so capitalised ones are added only without it."""
    tool = load_tool("build_genuine_rates")
    row = tool.MinedRow
    rows = [
        row("home", "house", 21, 4, 1, ("a",)),
        row("home", "domestic", 6, 0, 1, ("b",)),
        row("Home", "House", 117, 4, 0, ("c",)),
        row("Lawyer Basic", "Attorney General", 3, 0, 2, ("d",)),
        row("LAWYER BASIC", "ATTORNEY GENERAL", 1, 0, 1, ("e",)),
        row("together", "along", 9, 0, 40, ("f",)),
    ]
    counts = tool.spun_page_counts(rows, {("together", "along")})
    assert counts == {("home",): (144, 1), ("lawyer", "basic"): (4, 3)}


def test_shipped_table_counts_forms_on_real_spun_pages() -> None:
    rows = _rows((ROOT / "src" / "textrepair" / "data" / "genuine-rates.tsv.gz").read_bytes())
    laws, penalties = rows["laws"], rows["penalties"]
    assert int(laws[7]) > 10 and laws[8] == "0"  # the spinner's, never the authors'
    assert int(penalties[8]) > int(penalties[7])  # more often the authors' own
    assert sum(int(row[8]) > 0 for row in rows.values()) > 100
