"""Behaviour of textrepair.lexicon: matching rules, context DSL, loading, shipped table."""

from __future__ import annotations

import gzip
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from textrepair.lexicon import (
    MAX_ROW_BYTES,
    Lexicon,
    LexiconError,
    Substitution,
    default_lexicon,
    document_words,
    selected_lexicon,
    thesaurus_lexicon,
)

DATA = Path(__file__).parent / "data"
REPO = Path(__file__).resolve().parent.parent


def sub(spun: str, original: str, context: str = "", source: str = "news") -> Substitution:
    return Substitution(spun, original, source, 1.0, context)


@pytest.fixture(scope="module")
def lex() -> Lexicon:
    return Lexicon.from_file(DATA / "user-lexicon.tsv")


def found(lex: Lexicon, text: str) -> list[str]:
    return [m.text for m in lex.finditer(text)]


def test_multiword_longest_match_wins(lex: Lexicon) -> None:
    text = "A new imaginative and prescient plan; an imaginative child."
    matches = list(lex.finditer(text))
    assert [m.text for m in matches] == ["imaginative and prescient"]
    m = matches[0]
    assert text[m.start : m.end] == m.text
    assert [s.original for s in m.substitutions] == ["vision"]


def test_longest_then_shorter_key_non_overlapping() -> None:
    lx = Lexicon([sub("air", "a"), sub("air strikes", "b"), sub("strikes", "c")])
    assert found(lx, "air strikes strikes air") == ["air strikes", "strikes", "air"]


def test_multiword_crosses_nbsp_and_newline_but_not_double_space(lex: Lexicon) -> None:
    assert found(lex, "imaginative\xa0and\nprescient") == ["imaginative\xa0and\nprescient"]
    assert found(lex, "imaginative  and prescient") == []


def test_lowercase_keys_match_any_case(lex: Lexicon) -> None:
    assert found(lex, "Stated. STATED stated") == ["Stated", "STATED", "stated"]
    assert lex.candidates("STATED")[0].original == "said"


def test_capitalised_keys_are_case_sensitive(lex: Lexicon) -> None:
    ms = list(lex.finditer("in the Center East and the center east"))
    assert [m.text for m in ms] == ["Center East", "center"]
    assert [s.original for s in ms[0].substitutions] == ["Middle East"]
    assert [s.original for s in ms[1].substitutions] == ["centre"]
    assert lex.candidates("center east") == ()
    assert {s.original for s in lex.candidates("Center")} == {"centre"}


def test_word_boundaries(lex: Lexicon) -> None:
    assert found(lex, "steams teamster teams") == ["teams"]
    assert found(lex, "teams' gear, 'teams', teams\u2019 and team's") == ["teams", "teams", "teams"]
    assert found(lex, "x-teams teams2 _teams") == ["teams"]


# Keys that begin or end outside a word, inside-word apostrophes, and words that hold keys.
_EDGE_KEYS = ["u.s.", "'s", "teams'", "don't", "in", "home", "well-being", "e.g.", "Center East"]
_PIECES = [*_EDGE_KEYS, "within", "x", "'", "\u2019", " ", "  ", ".", "-", "_", "\n", "\xa0", "é"]


def _reference_hits(lx: Lexicon, text: str) -> list[tuple[int, int]]:
    """The matching rule spelt out: every key occurrence with no word character right
    before or after it (nor an apostrophe with one beyond it: "team's"), then the
    leftmost-longest that do not overlap. Slow, and plain to read."""
    folded = text.lower().replace("\u2019", "'")
    for space in "\t\n\r\xa0":
        folded = folded.replace(space, " ")

    def word(i: int) -> bool:
        return 0 <= i < len(folded) and (folded[i].isalnum() or folded[i] == "_")

    def joined(i: int, away: int) -> bool:  # folded[i] continues a word, looking away
        return word(i) or (0 <= i < len(folded) and folded[i] == "'" and word(i + away))

    hits = []
    for sub in lx:
        key = sub.spun.lower()
        for start in range(len(folded) - len(key) + 1):
            end = start + len(key)
            if folded[start:end] != key or (sub.spun != key and text[start:end] != sub.spun):
                continue
            if not (joined(start - 1, -1) or joined(end, 1)):
                hits.append((start, -end))
    kept, position = [], 0
    for start, negative_end in sorted(set(hits)):
        if start >= position:
            kept.append((start, -negative_end))
            position = -negative_end
    return kept


@given(st.lists(st.sampled_from(_PIECES), max_size=12).map("".join))
def test_the_scan_keeps_the_word_boundary_rule(text: str) -> None:
    lx = Lexicon([sub(key, "z") for key in _EDGE_KEYS])
    assert [(m.start, m.end) for m in lx.finditer(text)] == _reference_hits(lx, text)


def test_candidates_normalises_spacing(lex: Lexicon) -> None:
    assert lex.candidates("imaginative  and\nprescient")[0].original == "vision"
    assert lex.candidates("unknown") == ()


def test_context_dsl(lex: Lexicon) -> None:
    bosom = lex.candidates("bosom")[0]
    assert lex.context_allows(bosom, document_words("The breast and the bosom"))
    assert not lex.context_allows(bosom, document_words("her bosom friend"))
    surface = lex.candidates("surface region")[0]
    assert lex.context_allows(surface, frozenset({"surface", "area", "region"}))
    assert not lex.context_allows(surface, frozenset({"surface", "region"}))  # needs "area"
    assert not lex.context_allows(surface, frozenset({"surface", "area", "specular"}))
    brilliant = lex.candidates("brilliant")[0]
    assert lex.context_allows(brilliant, frozenset({"savvy"}))
    assert not lex.context_allows(brilliant, frozenset({"shrewd"}))
    assert lex.context_allows(lex.candidates("teams")[0], frozenset())


def test_user_lexicon_defaults_and_positional_columns(tmp_path: Path) -> None:
    p = tmp_path / "mine.tsv"
    p.write_text("# my rows\nbig apple\tnew york\n\nHolly Wood\tHollywood\tx\t0.25\n")
    lx = Lexicon.from_file(p)
    assert len(lx) == 2
    a, b = lx
    assert (a.source, a.prior, a.context) == ("user", 1.0, "")
    assert (b.source, b.prior) == ("x", 0.25)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("spun\toriginal\nok\tfine\nlonely\n", ":3: expected tab-separated"),
        ("a\tb\tuser\tnot-a-number\n", ":1: prior 'not-a-number'"),
        ("a\tb\tuser\t1.5\n", ":1: prior 1.5 not in (0, 1]"),
        ("a\tb\tuser\t1\t*weird\n", ":1: bad context clause"),
        ("\tb\n", ":1: empty spun"),
    ],
)
def test_user_lexicon_errors_name_file_and_line(tmp_path: Path, content: str, message: str) -> None:
    p = tmp_path / "bad.tsv"
    p.write_text(content)
    with pytest.raises(ValueError, match=rf"bad\.tsv{message[:1]}") as err:
        Lexicon.from_file(p)
    assert message in str(err.value)


# Every malformed row of issue 11, as bytes: (file content, line, what the message says).
MALFORMED_ROWS = {
    "prior 0": (b"ok\tfine\na\tb\tuser\t0\n", 2, "prior 0 not in (0, 1]"),
    "prior 2": (b"a\tb\tuser\t2\n", 1, "prior 2 not in (0, 1]"),
    "prior abc": (b"a\tb\tuser\tabc\n", 1, "prior 'abc' is not a number"),
    "prior nan": (b"a\tb\tuser\tnan\n", 1, "prior nan not in (0, 1]"),
    "prior inf": (b"a\tb\tuser\tinf\n", 1, "prior inf not in (0, 1]"),
    "empty original": (b"a\t\tuser\n", 1, "empty spun or original"),
    "blank spun": (b"  \tb\n", 1, "empty spun or original"),
    "7 columns": (b"a\tb\tuser\t1\t\tx\ty\n", 1, "7 tab-separated columns"),
    "wider than header": (b"spun\toriginal\na\tb\tc\n", 2, "3 tab-separated columns"),
    "not UTF-8": (b"ok\tfine\n# note\ncaf\xe9\tcafe\n", 3, "not UTF-8 (byte b'\\xe9'"),
    "1 MB row": (b"a" * 10**6 + b"\tb\n", 1, f"row longer than {MAX_ROW_BYTES:,} bytes"),
}


@pytest.mark.parametrize("name", list(MALFORMED_ROWS))
def test_malformed_rows_raise_lexicon_error_with_file_and_line(tmp_path: Path, name: str) -> None:
    content, line, problem = MALFORMED_ROWS[name]
    path = tmp_path / "mine.tsv"
    path.write_bytes(content)
    with pytest.raises(LexiconError) as error:
        Lexicon.from_file(path)
    assert str(error.value).startswith(f"{path}:{line}: {problem}"), str(error.value)
    assert (error.value.path, error.value.line) == (str(path), line)
    assert isinstance(error.value, ValueError)
    copy = pickle.loads(pickle.dumps(error.value))  # workers send it to the parent
    assert str(copy) == str(error.value)


def test_a_byte_order_mark_does_not_lose_the_first_row(tmp_path: Path) -> None:
    path = tmp_path / "bom.tsv"
    path.write_bytes(b"\xef\xbb\xbfbig apple\tnew york\nHolly Wood\tHollywood\n")
    assert [row.spun for row in Lexicon.from_file(path)] == ["big apple", "Holly Wood"]
    path.write_bytes(b"\xef\xbb\xbfspun\toriginal\tprior\nbig apple\tnew york\t0.5\n")
    (row,) = Lexicon.from_file(path)
    assert (row.spun, row.prior) == ("big apple", 0.5)


def test_crlf_rows_and_a_full_width_row_load(tmp_path: Path) -> None:
    path = tmp_path / "crlf.tsv"
    path.write_bytes(b"a\tb\tuser\t0.5\t+c\r\n" + b"x" * (MAX_ROW_BYTES - 3) + b"\ty\n")
    first, second = Lexicon.from_file(path)
    assert (first.prior, first.context) == (0.5, "+c")
    assert len(second.spun) == MAX_ROW_BYTES - 3


@pytest.mark.parametrize("damage", ["truncated", "not gzip"])
def test_a_damaged_gzip_lexicon_is_a_lexicon_error(tmp_path: Path, damage: str) -> None:
    data = gzip.compress(b"a\tb\n" * 1000)
    path = tmp_path / "mine.tsv.gz"
    path.write_bytes(data[: len(data) // 2] if damage == "truncated" else b"plain text\n")
    with pytest.raises(LexiconError, match=r"mine\.tsv\.gz:1: cannot read the file"):
        Lexicon.from_file(path)


def test_a_huge_row_never_reaches_the_automaton(tmp_path: Path) -> None:
    """A 1 MB automaton key crashed the interpreter at exit (pyahocorasick)."""
    path = tmp_path / "huge.tsv"
    path.write_bytes(b"a" * 10**6 + b"\tb\n")
    script = (
        "import sys\nfrom textrepair.lexicon import Lexicon, LexiconError\n"
        f"try:\n    Lexicon.from_file({str(path)!r}).prepare()\n"
        "except LexiconError as e:\n    print(e)\n"
    )
    src = str(REPO / "src")
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, env={"PYTHONPATH": src}, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert b"huge.tsv:1: row longer than" in done.stdout


def test_a_lexicon_path_must_be_a_path() -> None:
    with pytest.raises(TypeError):
        Lexicon.from_file(3)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        selected_lexicon(3)  # type: ignore[arg-type]


def test_fixture_bad_lexicon_reports_line() -> None:
    with pytest.raises(ValueError, match=r"bad-lexicon\.tsv:3:"):
        Lexicon.from_file(DATA / "bad-lexicon.tsv")


def test_merged_keeps_both_and_dedupes(lex: Lexicon) -> None:
    extra = Lexicon([sub("stated", "told"), sub("stated", "said")])
    m = lex.merged(extra)
    assert len(m) == len(lex) + 1
    assert {s.original for s in m.candidates("stated")} == {"said", "told"}
    assert found(m, "he stated") == ["stated"]


def test_empty_lexicon_finds_nothing() -> None:
    assert list(Lexicon([]).finditer("anything at all")) == []


# --- the shipped table ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped() -> Lexicon:
    return default_lexicon()


def test_shipped_table_loads_once(shipped: Lexicon) -> None:
    assert default_lexicon() is shipped
    assert {s.source for s in shipped} == {"news", "other", "mined", "pps"}
    assert all(0.0 < s.prior <= 1.0 for s in shipped)
    assert 1_000 < len(shipped) < 100_000


def test_thesaurus_rows_load_only_when_asked(shipped: Lexicon) -> None:
    assert selected_lexicon() is selected_lexicon(None, False)  # cached
    assert len(selected_lexicon()) == len(shipped)
    with_thesaurus = selected_lexicon(None, True)
    assert {s.source for s in with_thesaurus} == {
        "news",
        "other",
        "mined",
        "pps",
        "wordnet",
        "moby",
    }
    assert len(with_thesaurus) == len(shipped) + len(thesaurus_lexicon())


def test_shipped_pps_rows_with_credit(shipped: Lexicon) -> None:
    origs = {s.original for s in shipped.candidates("neural organization") if s.source == "pps"}
    assert "neural network" in origs
    roi = [s for s in shipped.candidates("place of interest") if s.source == "pps"]
    assert roi and roi[0].original == "region of interest"  # "(roi)" stripped
    assert not any("?" in s.original for s in shipped if s.source == "pps")
    assert any(s.context for s in shipped if s.source == "pps")
    readme = (REPO / "src/textrepair/data/README.md").read_text(encoding="utf-8")
    assert "Problematic Paper Screener" in readme and "CC BY 4.0" in readme
    assert "Cabanac" in readme and "Labbé" in readme and "Magazinov" in readme
    assert (REPO / "src/textrepair/data/LICENSE-wordnet.txt").exists()


def test_shipped_thesaurus_rows_are_reversed_and_low_prior() -> None:
    shipped = thesaurus_lexicon()
    # Rare spun forms are reversed to their common synonyms ...
    commenced = [s for s in shipped.candidates("commenced") if s.source in ("wordnet", "moby")]
    assert {"began", "started"} <= {s.original for s in commenced}
    # ... while common words are left to the curated tables (build_lexicon.MIN_SPUN_RANK).
    assert not [s for s in shipped.candidates("road") if s.source in ("wordnet", "moby")]
    assert all(s.prior <= 0.2 for s in shipped if s.source in ("wordnet", "moby"))


def test_shipped_curated_vision_row(shipped: Lexicon) -> None:
    rows = [s for s in shipped.candidates("imaginative and prescient") if s.original == "vision"]
    if not any(s.source in ("news", "other") for s in shipped):
        pytest.skip("curated spinner tables (sources/spinner-*.tsv) not built into the table yet")
    assert rows and rows[0].source in ("news", "other")


def test_shipped_matcher_finds_spun_words(shipped: Lexicon) -> None:
    text = "Shia militia teams stated they used a neural organization."
    got = {m.text: m for m in shipped.finditer(text)}
    assert "neural organization" in got
    assert "stated" in got
