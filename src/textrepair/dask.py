"""Clean corpora with Dask: bags of documents, bags of records, dataframe columns.

Install the extra first: ``pip install "textrepair[dask]"``. Dask is imported only when
one of these functions is called, so ``import textrepair`` never needs it.

Every function works one partition per task: the partition is cleaned in a plain loop,
so a worker process loads textrepair's tables and language model once (on its first
document) and reuses them for every later partition. Each document is cleaned as the
command line cleans a file (`clean_document`, through `textrepair.streams`): bytes are
decoded the same way, and a long document is repaired unit by unit, so one huge
document cannot take a worker's memory. Missing values (None) stay missing.
Options are checked in the calling process, so a misspelt option fails at once, not
inside a worker minutes later. Order and partitioning are preserved.

See docs/distributed.md for examples.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, cast

from .options import Options, resolve_options
from .streams.filter import clean_units
from .streams.reading import Source
from .streams.units import UNIT_CHARS, TextInput, split_units

if TYPE_CHECKING:
    import pandas as pd
    from dask.bag import Bag
    from dask.dataframe import DataFrame, Series

__all__ = ["clean_bag", "clean_dataframe", "clean_document", "clean_series"]

_INSTALL_HINT = 'textrepair.dask needs Dask: pip install "textrepair[dask]"'


def clean_bag(
    bag: Bag, options: Options | None = None, *, field: str | None = None, **overrides: Any
) -> Bag:
    """Clean every document of a Dask bag, lazily; returns a new bag in the same order.

    Without `field` the bag holds documents (str, or bytes of unknown encoding, as
    `textrepair.clean` accepts; None stays None). With `field` it holds records
    (mappings, e.g. parsed JSONL lines): each record comes back as a new dict with
    ``record[field]`` cleaned and every other key passed through; a None value is left
    as None.
    """
    _require("dask.bag")
    resolved = resolve_options(options, overrides)
    if field is None:
        return cast("Bag", _map_partitions(bag, _clean_documents, resolved))
    return cast("Bag", _map_partitions(bag, _clean_records, resolved, field))


def clean_series(series: Series, options: Options | None = None, **overrides: Any) -> Series:
    """Clean every value of a Dask series of text; missing values (None, NaN) stay missing.

    The result keeps the series' name, index, dtype and partitions.
    """
    _require("dask.dataframe")
    resolved = resolve_options(options, overrides)
    return cast(
        "Series", _map_partitions(series, _clean_pandas_series, resolved, meta=series._meta)
    )


def clean_dataframe(
    df: DataFrame, options: Options | None = None, *, column: str = "text", **overrides: Any
) -> DataFrame:
    """Clean one text `column` of a Dask dataframe; every other column passes through."""
    _require("dask.dataframe")
    if column not in df.columns:
        raise KeyError(f"no column {column!r}; columns are {list(df.columns)!r}")
    resolved = resolve_options(options, overrides)
    return cast(
        "DataFrame", _map_partitions(df, _clean_pandas_frame, resolved, column, meta=df._meta)
    )


# The partition functions below run in worker processes. They are module-level so that
# they pickle by reference, and they never import Dask.


def clean_document(document: str | bytes | None, options: Options | None = None) -> str | None:
    """One document cleaned as ``textrepair FILE`` cleans a file; None stays None.

    >>> clean_document(b"caf\\xe9 &amp; co")
    'café & co'
    """
    if document is None:
        return None
    options = options if options is not None else Options()
    if isinstance(document, str):
        if len(document) <= UNIT_CHARS:  # one unit: exactly textrepair.clean
            return clean_units([(document, "")], options)
        return clean_units(split_units(iter([document]), ""), options)
    if not isinstance(document, (bytes, bytearray, memoryview)):
        raise TypeError(f"a document must be str, bytes or None, not {type(document).__name__}")
    data = bytes(document)
    source = Source("<document>", io.BytesIO(data), len(data))
    return clean_units(((u.text, u.separator) for u in TextInput(source).read()), options)


def _clean_documents(documents: Iterable[str | bytes | None], options: Options) -> list[str | None]:
    return [clean_document(document, options) for document in documents]


def _clean_records(
    records: Iterable[Mapping[str, Any]], options: Options, field: str
) -> list[dict[str, Any]]:
    cleaned = []
    for record in records:
        if field not in record:
            raise KeyError(f"record has no field {field!r}; its keys are {sorted(record)!r}")
        out = dict(record)
        out[field] = clean_document(out[field], options)
        cleaned.append(out)
    return cleaned


def _clean_value(value: Any, options: Options) -> Any:
    # pandas marks missing text as None, NaN or pd.NA; only real text is cleaned.
    if isinstance(value, (str, bytes)):
        return clean_document(value, options)
    return value


def _clean_pandas_series(part: pd.Series, options: Options) -> pd.Series:
    import pandas as pd

    values = [_clean_value(value, options) for value in part]
    return pd.Series(values, index=part.index, name=part.name, dtype=part.dtype)


def _clean_pandas_frame(part: pd.DataFrame, options: Options, column: str) -> pd.DataFrame:
    out = part.copy()
    out[column] = _clean_pandas_series(part[column], options)
    return out


def _map_partitions(
    collection: Any, function: Callable[..., Any], *args: Any, **kwargs: Any
) -> Any:
    """One task per partition. (Dask's own method is untyped; the Any stays in here.)"""
    return collection.map_partitions(function, *args, **kwargs)


def _require(module: str) -> None:
    """Import `module` now, or fail with the install command for the extra."""
    import importlib

    try:
        importlib.import_module(module)
    except ImportError as error:
        raise ImportError(f"{_INSTALL_HINT} ({error})") from error
