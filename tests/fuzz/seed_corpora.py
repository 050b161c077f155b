#!/usr/bin/env python3
"""Writes the seed corpus of each fuzz target from files the tests and docs already have, so no
fixture is committed twice: ./dev fuzz runs this into the build tree before fuzzing.

usage: seed_corpora.py SOURCE_DIR FIXTURES_DIR OUT_DIR   (writes OUT_DIR/<fuzz target>/<seed>)
"""
import json
import re
import sys
from pathlib import Path

# Joins the documents of one fetch into one input; fuzz_input.hpp splits on it.
DOCUMENT_SEPARATOR = "\x1e"


def bundle_seeds(demo_region):
    """The demo region whole, and one small bundle per record (with the places it names), which the
    fuzzer mutates far faster than the 300 kB region."""
    region = json.loads(demo_region.read_text(encoding="utf-8"))
    header = {"format": region["format"], "version": region["version"]}
    places = {place["id"]: place for place in region.get("places", [])}
    seeds = {"demo-region.json": demo_region.read_text(encoding="utf-8")}
    for kind in ("places", "services", "events", "announcements"):
        for record in region.get(kind, []):
            text = json.dumps(record, ensure_ascii=False)
            named = [place for place_id, place in places.items() if f'"{place_id}"' in text and place is not record]
            bundle = dict(header, places=named + ([record] if kind == "places" else []))
            if kind != "places":
                bundle[kind] = [record]
            seeds[f"{kind}-{record['id']}.json"] = json.dumps(bundle, ensure_ascii=False, indent=1)
    return seeds


def config_seeds(source):
    """The configs we ship and document, and every config the tests parse."""
    seeds = {
        "package-kiosk.toml": (source / "deploy/package/kiosk.toml").read_text(encoding="utf-8"),
        "image-site.toml": (source / "deploy/image/kohtaamo-site.toml.example").read_text(encoding="utf-8"),
    }
    readme = (source / "README.md").read_text(encoding="utf-8")
    for i, block in enumerate(re.findall(r"```toml\n(.*?)```", readme, re.S)):
        seeds[f"readme-{i}.toml"] = block
    test = (source / "tests/sync/kiosk_config_test.cpp").read_text(encoding="utf-8")
    for i, text in enumerate(re.findall(r'parseKioskConfig\(R"\((.*?)\)"', test, re.S)):
        seeds[f"test-{i}.toml"] = text
    return seeds


def file_seeds(*patterns):
    return {path.name: path.read_text(encoding="utf-8", errors="surrogateescape")
            for directory, glob in patterns for path in sorted(directory.glob(glob))}


def joined(name, seeds):
    """One input holding every document of `seeds`, as one fetch would read them."""
    return {name: DOCUMENT_SEPARATOR.join(seeds[key] for key in sorted(seeds))}


def main(source, fixtures, out):
    ptv_test_data = file_seeds((source / "tests/sync/data/ptv", "*.json"))
    linkedevents = file_seeds((fixtures / "linkedevents", "*.json"))
    corpora = {
        "fuzz_bundle": bundle_seeds(source / "assets/demo/demo-region.json"),
        "fuzz_kiosk_config": config_seeds(source),
        "fuzz_ical": file_seeds((source / "tests/sync/data/ical", "*.ics")),
        "fuzz_ptv": {**file_seeds((fixtures / "ptv", "*.json")), **ptv_test_data,
                     **joined("all-test-data.json", ptv_test_data)},
        "fuzz_linkedevents": {**linkedevents, **joined("all-fixtures.json", linkedevents)},
    }
    for target, seeds in corpora.items():
        directory = out / target
        directory.mkdir(parents=True, exist_ok=True)
        for name, text in seeds.items():
            (directory / f"seed-{name}").write_bytes(text.encode("utf-8", errors="surrogateescape"))


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*(Path(arg) for arg in sys.argv[1:]))
