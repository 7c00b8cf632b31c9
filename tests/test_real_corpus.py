"""The real clean corpus in corpus/real/ matches its manifest, and only licensed text ships.

Every text file is listed once and every listed file exists; each URL's host carries the
licence the manifest claims; the word counts are the files' own. The host table here is
written independently of corpus/real/ingest.py so that a wrong rule there is caught.
"""

import csv
import re
import sys
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pytest

REAL = Path(__file__).resolve().parents[1] / "corpus" / "real"
MANIFEST = REAL / "manifest.tsv"
COLUMNS = ["file", "url", "licence", "retrieved", "register", "words", "source_kind"]

# Hosts (a page's host or any parent domain) that publish under each licence.
FEDERAL_SUFFIXES = (".mil", ".fed.us")
FEDERAL_DOMAINS = {
    "voanews.com",
    "dvidshub.net",
    "justice.gov",
    "usdoj.gov",
    "fbi.gov",
    "nasa.gov",
    "noaa.gov",
    "weather.gov",
    "state.gov",
    "defense.gov",
    "war.gov",
    "cdc.gov",
    "nih.gov",
    "usgs.gov",
    "nps.gov",
    "fda.gov",
    "ice.gov",
    "dea.gov",
    "usmarshals.gov",
    "epa.gov",
    "census.gov",
    "atf.gov",
    "dhs.gov",
    "fema.gov",
    "usda.gov",
    "energy.gov",
    "ed.gov",
    "hhs.gov",
    "treasury.gov",
    "irs.gov",
    "sec.gov",
    "ftc.gov",
    "fws.gov",
    "blm.gov",
    "usa.gov",
    "whitehouse.gov",
    "transportation.gov",
    "dot.gov",
    "faa.gov",
    "nhtsa.gov",
    "cbp.gov",
    "secretservice.gov",
    "va.gov",
    "loc.gov",
    "archives.gov",
    "nist.gov",
    "nsf.gov",
    "bls.gov",
    "uscourts.gov",
    "supremecourt.gov",
    "usps.com",
    "uspis.gov",
    "osha.gov",
    "dol.gov",
    "hud.gov",
    "commerce.gov",
    "cpsc.gov",
    "nrc.gov",
    "ntsb.gov",
    "bop.gov",
    "ojp.gov",
    "bjs.gov",
    "usgovernmentmanual.gov",
    "si.edu",
    "americorps.gov",
    "usaid.gov",
    # GSA's digital services (18F, digital.gov, data.gov), DHS's CISA, the SEC's investor
    # site and the CFPB.
    "18f.gov",
    "gsa.gov",
    "digital.gov",
    "data.gov",
    "cisa.gov",
    "investor.gov",
    "consumerfinance.gov",
}
LICENSED_DOMAINS = {
    "CC-BY-2.5-wikinews": {"wikinews.org"},
    "OGL-3.0": {"gov.uk", "police.uk"},
    "CC-BY-SA-wikipedia": {"wikipedia.org"},
}
ARCHIVE_HOSTS = {
    "webarchive.library.unt.edu",
    "cybercemetery.unt.edu",
    "web.archive.org",
    "eot.us.archive.org",
    "webharvest.gov",
    "www.webharvest.gov",
    "wayback.stanford.edu",
    "swap.stanford.edu",
}
SHORT = 150


def all_rows() -> list[dict[str, str]]:
    with MANIFEST.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def rows() -> list[dict[str, str]]:
    """The clean texts' rows."""
    return [row for row in all_rows() if not row["file"].startswith("spun/")]


def spun_pairs() -> dict[str, dict[str, dict[str, str]]]:
    """The spun pairs' rows (spun/NAME.{spun,original,reference}.txt), by NAME and part."""
    pairs: dict[str, dict[str, dict[str, str]]] = {}
    for row in all_rows():
        if row["file"].startswith("spun/"):
            name, part, _ = row["file"].removeprefix("spun/").rsplit(".", 2)
            pairs.setdefault(name, {})[part] = row
    return pairs


def licensed_host(url: str) -> str:
    """The host whose licence applies: for a web archive, the archived page's host."""
    host = urlsplit(url).hostname or ""
    if host in ARCHIVE_HOSTS:
        # /<collection>/<timestamp>[flags]/[http[s]:/[/]]<original host>/...
        path = urlsplit(url).path
        match = re.search(r"/\d{8,}[a-z_]*/(?:https?:/+)?([^/]+)", path)
        host = match.group(1) if match else ""
    return host.lower().rstrip(".")  # "atf.gov." is the same host as "atf.gov"


def within(host: str, domains: set[str]) -> bool:
    return any(host == domain or host.endswith("." + domain) for domain in domains)


def host_allows(licence: str, host: str) -> bool:
    if licence == "public-domain-us-federal":
        return host.endswith(FEDERAL_SUFFIXES) or within(host, FEDERAL_DOMAINS)
    return within(host, LICENSED_DOMAINS.get(licence, set()))


def test_manifest_has_the_columns():
    with MANIFEST.open(encoding="utf-8") as handle:
        assert handle.readline().rstrip("\n").split("\t") == COLUMNS


def test_every_text_file_is_listed_once_and_every_listed_file_exists():
    listed = Counter(row["file"] for row in all_rows())
    assert [name for name, count in listed.items() if count > 1] == []
    on_disk = {str(path.relative_to(REAL)) for path in REAL.glob("*/*.txt")}
    assert on_disk - set(listed) == set(), "text files missing from the manifest"
    assert set(listed) - on_disk == set(), "manifest rows without a file"


def test_urls_are_unique():
    urls = Counter(row["url"] for row in rows())
    assert [url for url, count in urls.items() if count > 1] == []


# The days the texts were taken from their stored copies.
RETRIEVAL_DATES = {"2026-12-02", "2026-12-07"}


@pytest.mark.parametrize("row", rows(), ids=lambda row: row["file"])
def test_row_is_consistent_with_its_file(row):
    text = (REAL / row["file"]).read_text(encoding="utf-8")
    assert row["licence"] in {"public-domain-us-federal", *LICENSED_DOMAINS}
    assert host_allows(row["licence"], licensed_host(row["url"])), row["url"]
    assert int(row["words"]) == len(text.split())
    assert row["retrieved"] in RETRIEVAL_DATES
    assert row["register"] and row["source_kind"]
    # Wikipedia (CC BY-SA) is kept in its own folder so it can stay out of any package.
    assert row["file"].startswith("clean-wikipedia/") == (row["licence"] == "CC-BY-SA-wikipedia")


@pytest.mark.parametrize("row", rows(), ids=lambda row: row["file"])
def test_text_is_clean_utf8_prose(row):
    raw = (REAL / row["file"]).read_bytes()
    text = raw.decode("utf-8")
    assert text.endswith("\n") and not text.endswith("\n\n")
    assert "\r" not in text and "\ufffd" not in text
    assert all(line == line.rstrip() for line in text.splitlines())
    assert row["url"] not in text


def test_short_texts_are_labelled_where_cut_from_longer_pages():
    """A page cut to its lead must say so; genuinely short kinds need not."""
    for row in rows():
        if row["source_kind"].startswith("brief ("):
            assert int(row["words"]) < SHORT, row["file"]


def test_short_and_licence_helpers_reject_what_they_should():
    assert not host_allows("public-domain-us-federal", "www.ca.gov")
    assert not host_allows("OGL-3.0", "www.ukpol.co.uk")
    assert host_allows("OGL-3.0", "homeofficemedia.blog.gov.uk")
    archived = {
        (
            "https://webarchive.library.unt.edu/eot2008/20080916/http:/www.usdoj.gov/opa/x.htm"
        ): "www.usdoj.gov",
        "http://eot.us.archive.org/eot/20080916004154/miami.fbi.gov/hate.htm": "miami.fbi.gov",
        (
            "https://swap.stanford.edu/was/20100322163935mp_/http://www.justice.gov/psn"
        ): "www.justice.gov",
        "https://web.archive.org/web/20200101000000/https://www.ukpol.co.uk/x": "www.ukpol.co.uk",
    }
    for url, host in archived.items():
        assert licensed_host(url) == host
    assert not host_allows(
        "public-domain-us-federal",
        licensed_host("https://web.archive.org/web/20200101000000/https://www.ukpol.co.uk/x"),
    )


@pytest.mark.parametrize("name", sorted(spun_pairs()))
def test_spun_pair_is_licensed_by_its_original_and_its_reference_a_fresh_build(name):
    # The licence is the original's; the spun copy is a mechanical derivative of it.
    pair = spun_pairs()[name]
    assert set(pair) == {"spun", "original", "reference"}
    original = pair["original"]
    assert host_allows(original["licence"], licensed_host(original["url"])), original["url"]
    assert original["licence"] != "CC-BY-SA-wikipedia"
    assert pair["reference"]["url"] == original["url"] != pair["spun"]["url"]
    texts = {}
    for part, row in pair.items():
        assert row["licence"] == original["licence"] and row["register"] and row["source_kind"]
        texts[part] = (REAL / row["file"]).read_text(encoding="utf-8")
        assert int(row["words"]) == len(texts[part].split())
        assert texts[part].endswith("\n") and "\r" not in texts[part]
    sys.path.insert(0, str(REAL.parents[1] / "tools"))
    import mine_pairs

    # Rebuilt by `python tools/mine_pairs.py corpus/real/spun --references`.
    assert texts["reference"] == mine_pairs.reference_for(texts["original"], texts["spun"])
