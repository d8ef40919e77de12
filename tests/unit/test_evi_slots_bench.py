"""The EVI slot-extraction benchmark end to end on the tiny dataset of the EVI benchmark test."""

from __future__ import annotations

import json
from pathlib import Path

from benchmarks.bench_evi_slots import main
from tests.unit.test_identity_bench import write_dataset


def test_slot_benchmark_writes_a_cited_report(tmp_path: Path) -> None:
    data, out = tmp_path / "evi", tmp_path / "reports"
    data.mkdir()
    write_dataset(data)
    assert main(["--data", str(data), "--out", str(out)]) == 0
    report = json.loads((out / "evi_slots.json").read_text())
    assert "Spithourakis" in report["citation"] and "CC-BY-4.0" in report["citation"]
    slots = report["slots"]
    assert report["slots"]["dialogues"] == 4
    assert slots["postcode"]["turns"] == 12 and slots["postcode"]["empty_turns"] == 0
    assert slots["postcode"]["top"] == 1.0 and slots["postcode"]["normaliser"] == 1.0
    assert slots["dob"]["top"] == slots["dob"]["nbest"] == slots["dob"]["normaliser"] == 1.0
    # "Anthony Shaw" for Antony and "Joe Barry" for Berry: half the names are exactly right, surnames 3 of 4.
    assert slots["name"]["top_full"] == 0.5
    assert slots["name"]["top_first"] == 0.75 and slots["name"]["top_last"] == 0.75
    assert set(report["definitions"]) >= {"postcode", "dob", "name", "top", "nbest", "nbest_any", "empty"}
    assert slots["name"]["by_attempt"]["2"]["turns"] == 4
