"""textrepair.dask on a real local cluster: two worker processes, several partitions.

Skipped unless the extra is installed: pip install "textrepair[dask]".
"""

from __future__ import annotations

import functools
import pickle
from collections.abc import Iterator
from pathlib import Path

import pytest

try:  # any ImportError, not only a missing module: dask.dataframe raises its own
    import dask
    import dask.bag as db
    import dask.dataframe as dd
    import distributed
    import pandas as pd
except ImportError as error:
    pytest.skip(
        f'needs the dask extra: pip install "textrepair[dask]" ({error})', allow_module_level=True
    )

import textrepair
from textrepair.dask import clean_bag, clean_dataframe, clean_series

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
PARTITIONS = 4


def _corpus() -> list[str]:
    """40 distinct documents: the opening paragraphs of each spun and clean corpus file
    (kept short so the test stays quick), then mojibake copies of some of them."""
    paths = sorted(CORPUS.glob("spun/*.spun.txt")) + sorted(CORPUS.glob("clean/*.txt"))
    openings = ["\n\n".join(path.read_text(encoding="utf-8").split("\n\n")[:3]) for path in paths]
    mojibake = [
        text.encode("utf-8").decode("cp1252", errors="replace")
        for text in openings
        if not text.isascii()
    ]
    docs = (openings + mojibake)[:40]
    assert len(docs) == 40 and len(set(docs)) == 40
    return docs


DOCS = _corpus()


@pytest.fixture(scope="module")
def expected() -> list[str]:
    return [textrepair.clean(doc) for doc in DOCS]


@pytest.fixture(scope="module")
def client() -> Iterator[distributed.Client]:
    """Two single-threaded worker processes, as on a small real cluster."""
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


def test_bag_of_documents_matches_clean_in_order(
    client: distributed.Client, expected: list[str]
) -> None:
    bag = db.from_sequence(DOCS, npartitions=PARTITIONS)
    assert bag.npartitions == PARTITIONS
    result = clean_bag(bag)
    assert result.npartitions == PARTITIONS
    with distributed.get_task_stream(client) as tasks:
        assert result.compute() == expected
    # Both worker processes took part: the work really crossed process boundaries.
    assert len({task["worker"] for task in tasks.data}) == 2


def test_bag_of_records_cleans_one_field(client: distributed.Client, expected: list[str]) -> None:
    records = [
        {"id": i, "text": doc, "url": f"https://example.com/{i}"} for i, doc in enumerate(DOCS)
    ]
    records.append({"id": len(DOCS), "text": None, "url": "https://example.com/empty"})
    bag = db.from_sequence(records, npartitions=PARTITIONS)
    result = clean_bag(bag, field="text").compute()
    assert [r["text"] for r in result] == [*expected, None]
    assert [(r["id"], r["url"]) for r in result] == [(r["id"], r["url"]) for r in records]
    assert records[0]["text"] == DOCS[0]  # the input records are not modified


def test_bag_options_reach_the_workers(client: distributed.Client) -> None:
    docs = DOCS[:8]
    bag = db.from_sequence(docs, npartitions=2)
    options = textrepair.Options(unspin=False)
    assert clean_bag(bag, options).compute() == [textrepair.clean(d, options) for d in docs]
    assert clean_bag(bag, unspin=False).compute() == [textrepair.clean(d, options) for d in docs]


def test_bad_option_fails_before_compute() -> None:
    bag = db.from_sequence(["x"], npartitions=1)
    with pytest.raises(TypeError, match="unknown option"):
        clean_bag(bag, unspinn=False)


def test_dataframe_column_and_series(client: distributed.Client, expected: list[str]) -> None:
    frame = pd.DataFrame({"id": range(len(DOCS)), "text": DOCS})
    df = dd.from_pandas(frame, npartitions=PARTITIONS)
    assert df.npartitions == PARTITIONS

    cleaned, series = dask.compute(clean_dataframe(df), clean_series(df["text"]))
    assert list(cleaned.columns) == ["id", "text"]
    assert cleaned["id"].tolist() == list(range(len(DOCS)))
    assert cleaned["text"].tolist() == expected

    assert series.name == "text"
    assert series.tolist() == expected


def test_dataframe_missing_values_stay_missing(client: distributed.Client) -> None:
    frame = pd.DataFrame({"body": ["Caf\u00c3\u00a9", None, "x\u00a0y"]}, dtype=object)
    df = dd.from_pandas(frame, npartitions=2)
    result = clean_dataframe(df, column="body").compute()["body"].tolist()
    # Dask may store text as pyarrow strings, where None becomes pd.NA.
    assert result[0] == "Café" and pd.isna(result[1]) and result[2] == "x y"


def test_unknown_column_is_a_clear_error() -> None:
    df = dd.from_pandas(pd.DataFrame({"body": ["x"]}), npartitions=1)
    with pytest.raises(KeyError, match="no column 'text'"):
        clean_dataframe(df)


@pytest.mark.parametrize(
    "function",
    [textrepair.clean, functools.partial(textrepair.clean, unspin=False)],
    ids=["clean", "partial"],
)
def test_clean_pickles(function: functools.partial[str]) -> None:
    restored = pickle.loads(pickle.dumps(function))
    for doc in DOCS[:3]:
        assert restored(doc) == function(doc)


def test_options_pickle() -> None:
    options = textrepair.Options(unspin=False, min_confidence=0.8, lexicon="x.tsv")
    restored = pickle.loads(pickle.dumps(options))
    assert restored == options and type(restored) is textrepair.Options


def test_bag_with_missing_documents_keeps_them_missing(client: distributed.Client) -> None:
    bag = db.from_sequence(["CafÃ© &amp; co", None, b"caf\xe9", None], npartitions=2)
    assert clean_bag(bag).compute() == ["Café & co", None, "café", None]


def test_documents_are_cleaned_as_the_cli_cleans_a_file(tmp_path: Path) -> None:
    """A long document goes through the same units as `textrepair FILE`, bytes included."""
    from textrepair.cli import main
    from textrepair.dask import clean_document
    from textrepair.streams import units

    data = b"\xff\xfe" + ("CafÃ© &amp; co.\r\n\r\n" * 30).encode("utf-16-le")
    source, target = tmp_path / "in.txt", tmp_path / "out.txt"
    source.write_bytes(data)
    saved = units.UNIT_CHARS
    units.UNIT_CHARS = 100  # several units, without a long test
    try:
        assert main([str(source), "-o", str(target)]) == 0
        assert clean_document(data) == target.read_text(encoding="utf-8")
        text = data.decode("utf-16")
        assert clean_document(text) == target.read_text(encoding="utf-8")
    finally:
        units.UNIT_CHARS = saved
    with pytest.raises(TypeError, match="not int"):
        clean_document(5)  # type: ignore[arg-type]
