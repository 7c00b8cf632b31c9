"""Write the real clean corpus and its manifest from cleaned page texts.

The page texts were taken from stored copies of public web pages (see README.md) and
cleaned by hand into batch files, kept outside the repository. Each entry in a batch file
starts with a header line and is followed by the text as its author wrote it::

    @@ NAME | URL | REGISTER | SOURCE_KIND
    first paragraph ...

    second paragraph ...

Running ``python corpus/real/ingest.py BATCH_DIR`` rewrites ``clean/NAME.txt`` (or
``clean-wikipedia/NAME.txt`` for Wikipedia, which stays out of the wheel) for every entry
and rebuilds ``manifest.tsv`` from them (keeping the rows of the spun pairs, ``spun/``).
The licence of each text is decided by the host of its URL; an entry whose host has no
licence that allows redistribution stops the run. A text the manifest already lists keeps
its retrieval date; a new one gets ``--retrieved DATE`` (default: today).
"""

import argparse
import sys
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
COLUMNS = ("file", "url", "licence", "retrieved", "register", "words", "source_kind")

# Works of the US federal government are in the public domain (17 U.S.C. 105). Only
# federal hosts are listed: state and city sites under .gov often keep their copyright.
# dvidshub.net is the Defense Department's own distribution service for military media.
US_FEDERAL = (
    ".mil", "voanews.com", "dvidshub.net", "justice.gov", "fbi.gov", "nasa.gov", "noaa.gov",
    "weather.gov", "state.gov", "defense.gov", "war.gov", "cdc.gov", "nih.gov", "usgs.gov",
    "nps.gov", "fda.gov", "ice.gov", "dea.gov", "usmarshals.gov", "epa.gov", "census.gov",
    "atf.gov", "dhs.gov", "uscg.mil", "fema.gov", "usda.gov", "energy.gov", "ed.gov",
    "hhs.gov", "treasury.gov", "irs.gov", "sec.gov", "ftc.gov", "fws.gov", "blm.gov",
    "fs.usda.gov", "usa.gov", "whitehouse.gov", "transportation.gov", "dot.gov", "faa.gov",
    "nhtsa.gov", "cbp.gov", "secretservice.gov", "oig.justice.gov", "va.gov", "loc.gov",
    "archives.gov", "nist.gov", "nsf.gov", "bls.gov", "uscourts.gov", "supremecourt.gov",
    "usps.com", "uspis.gov", "osha.gov", "dol.gov", "hud.gov", "commerce.gov", "cpsc.gov",
    "nrc.gov", "ntsb.gov", "bop.gov", "ojp.gov", "bjs.gov",
    "usgovernmentmanual.gov", "si.edu", "americorps.gov", "usaid.gov",
    "usdoj.gov", "18f.gov", "gsa.gov", "digital.gov", "data.gov", "cisa.gov", "investor.gov",
    "consumerfinance.gov",
)
# Web archives keep the original address inside theirs; the licence is the original's.
ARCHIVES = ("webarchive.library.unt.edu", "cybercemetery.unt.edu", "web.archive.org",
            "eot.us.archive.org", "webharvest.gov", "www.webharvest.gov", "wayback.stanford.edu",
            "swap.stanford.edu")
LICENCES = {
    "public-domain-us-federal": US_FEDERAL,
    "CC-BY-2.5-wikinews": ("wikinews.org",),
    "OGL-3.0": ("gov.uk", "police.uk"),
    "CC-BY-SA-wikipedia": ("wikipedia.org",),
}


def archived_host(url: str) -> str:
    """The original host inside a web-archive address: the first path segment after the
    capture timestamp that is neither a scheme nor empty ("/eot/2008.../miami.fbi.gov/x",
    "/web/2012.../http://www.atf.gov/x", "/peth04/2004.../http:/www.usdoj.gov/x")."""
    segments = urlsplit(url).path.split("/")
    stamps = [i for i, seg in enumerate(segments) if seg[:8].isdigit() and len(seg) >= 8]
    if not stamps:
        return ""
    for seg in segments[stamps[0] + 1:]:
        if seg and seg.lower() not in ("http:", "https:"):
            return seg.lower().rstrip(".")
    return ""


def licence_for(url: str) -> str | None:
    """The licence a page at `url` is published under, or None if it may not ship."""
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    if host in ARCHIVES:
        host = archived_host(url)
    for licence, domains in LICENCES.items():
        for domain in domains:
            if domain.startswith("."):
                if host.endswith(domain):
                    return licence
            elif host == domain or host.endswith("." + domain):
                return licence
    return None


def word_count(text: str) -> int:
    """Words as the manifest counts them: runs of non-space characters."""
    return len(text.split())


def read_batches(batch_dir: Path) -> dict[str, dict[str, str]]:
    """Every entry of every batch file, by name; a repeated name or URL is an error."""
    entries: dict[str, dict[str, str]] = {}
    urls: set[str] = set()
    bodies: dict[str, str] = {}
    for batch in sorted(batch_dir.glob("*.txt")):
        header, lines = None, []
        for line in [*batch.read_text(encoding="utf-8").splitlines(), "@@ END"]:
            if not line.startswith("@@ "):
                lines.append(line.rstrip())
                continue
            if header is not None:
                name, url, register, kind = (part.strip() for part in header.split("|"))
                if name in entries or url in urls:
                    sys.exit(f"{batch.name}: {name} or its URL is already in the corpus")
                text = "\n".join(lines).strip("\n") + "\n"
                # The same text under another address (a mirror, an archive copy) is a
                # duplicate too: compare the longest paragraph, case and spacing folded.
                body = " ".join(max(text.split("\n\n"), key=len).lower().split())[:300]
                if body in bodies:
                    sys.exit(f"{batch.name}: {name} repeats the text of {bodies[body]}")
                bodies[body] = name
                entries[name] = {"url": url, "register": register, "source_kind": kind,
                                 "text": text}
                urls.add(url)
            header, lines = line[3:], []
    return entries


def write_corpus(
    entries: dict[str, dict[str, str]], retrieved: dict[str, str], today: str
) -> list[dict[str, str]]:
    """Write one file per entry (dropping stale ones) and return the rows, sorted by file:
    a file the manifest already lists keeps its retrieval date (`retrieved`), a new one
    gets `today`."""
    for stale in HERE.glob("clean*/*.txt"):
        stale.unlink()
    rows = []
    for name, entry in entries.items():
        licence = licence_for(entry["url"])
        if licence is None:
            sys.exit(f"{name}: {entry['url']} has no licence that allows redistribution")
        folder = "clean-wikipedia" if licence == "CC-BY-SA-wikipedia" else "clean"
        path = HERE / folder / f"{name}.txt"
        path.parent.mkdir(exist_ok=True)
        path.write_text(entry["text"], encoding="utf-8")
        file = f"{folder}/{name}.txt"
        rows.append({"file": file, "url": entry["url"], "licence": licence,
                     "retrieved": retrieved.get(file, today), "register": entry["register"],
                     "words": str(word_count(entry["text"])),
                     "source_kind": entry["source_kind"]})
    return sorted(rows, key=lambda row: row["file"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("batch_dir", type=Path)
    parser.add_argument("--retrieved", default=date.today().isoformat(),
                        help="retrieval date of the texts new to the manifest (default: today)")
    args = parser.parse_args()
    old_lines = (HERE / "manifest.tsv").read_text(encoding="utf-8").splitlines()[1:]
    retrieved = {line.split("\t")[0]: line.split("\t")[3] for line in old_lines}
    rows = write_corpus(read_batches(args.batch_dir), retrieved, args.retrieved)
    # The spun pairs' rows (spun/, see README.md) are not made from batches: kept as they are.
    spun = [line for line in old_lines if line.startswith("spun/")]
    lines = ["\t".join(COLUMNS), *("\t".join(row[c] for c in COLUMNS) for row in rows), *spun]
    (HERE / "manifest.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(rows)} texts, {sum(int(r['words']) for r in rows)} words")


if __name__ == "__main__":
    main()
