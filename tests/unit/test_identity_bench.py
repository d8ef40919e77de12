"""The EVI benchmark script end to end on a tiny dataset in the real file formats."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from benchmarks.bench_evi import main

PROFILES = [
    ("en.GB.0", "JE0X 5SB", "Teresa", "Smith", "1909-08-11"),
    ("en.GB.1", "AL6N 0TW", "Antony", "Shaw", "1939-06-03"),
    ("en.GB.2", "M4 0QG", "Joe", "Berry", "1970-11-20"),
    ("en.GB.3", "EC6E 6YB", "Elaine", "Ellis", "1994-11-19"),
]
SAID = {
    "en.GB.0": ("juliet echo zero x-ray five sierra bravo", "Teresa Smith", "the 11th of August 1909"),
    "en.GB.1": ("alpha lima 6 november 0 tango whiskey", "Anthony Shaw", "3rd of June 1939"),
    "en.GB.2": ("M 4 0 Q G", "Joe Barry", "20th November 1970"),
    "en.GB.3": ("e c 6 e 6 y b", "Elaine Ellis", "19th of November 1994"),
}


def write_dataset(folder: Path) -> None:
    with (folder / "records.en.csv").open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["scenario_id", "postcode", "name", "dob", "name_first", "name_last", "sex", "email"])
        for sid, postcode, first, last, dob in PROFILES:
            writer.writerow([sid, postcode, f"{first} {last}", dob, first, last, "F", "x@example.com"])
    with (folder / "dialogues.en.tsv").open("w", newline="") as handle:
        writer = csv.writer(handle, delimiter="\t")
        writer.writerow(["dialogue_id", "speaker_id", "scenario_id", "turn_num", "item", "attempt_num",
                         "prime_letter", "prime_month", "transcription", "nbest"])  # fmt: skip
        for n, (sid, (postcode, name, dob)) in enumerate(SAID.items()):
            said = [("postcode", postcode)] * 3 + [("name", name)] * 3 + [("dob", dob)] * 3
            for turn, (item, text) in enumerate(said):
                writer.writerow([f"D{n}", "s", sid, turn, item, turn % 3, "nato", "word", text, json.dumps([text])])
        for turn, item in enumerate(["postcode"] * 3 + ["name"] * 3 + ["dob"] * 3):
            writer.writerow(["D9", "s", "1", turn, item, turn % 3, "nato", "word", "", ""])
    trials = [(f"D{n}", sid, 1) for n, sid in enumerate(SAID)] + [
        (f"D{n}", PROFILES[(n + 1) % 4][0], 0) for n in range(4)
    ]
    with (folder / "verification_trials.en.tsv").open("w", newline="") as handle:
        writer = csv.writer(handle, delimiter="\t")
        writer.writerow(["dialogue_id", "scenario_id", "is_genuine", "score", "n_turns"])
        writer.writerows([(d, s, g, "", "") for d, s, g in trials])
    with (folder / "reference_scores_seeking_fuzzy.en.tsv").open("w", newline="") as handle:
        writer = csv.writer(handle, delimiter="\t")
        writer.writerow(["dialogue_id", "scenario_id", "is_genuine", "score", "n_turns"])
        writer.writerows([(d, s, g, 0.9 if g else 0.1, 3) for d, s, g in trials])


def test_benchmark_writes_report_and_scores(tmp_path: Path) -> None:
    data, out = tmp_path / "evi", tmp_path / "reports"
    data.mkdir()
    write_dataset(data)
    assert main(["--data", str(data), "--out", str(out)]) == 0
    report = json.loads((out / "evi.json").read_text())
    assert report["verification"]["trials"] == 8
    assert report["verification"]["eer"] == 0.0
    assert report["identification"]["dialogues"] == 4 and report["identification"]["ir_at_1"] == 1.0
    assert "Spithourakis" in report["citation"] and "Not held out" in report["tuning_note"]
    with (out / "evi_scores.tsv").open(newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    assert list(rows[0]) == ["dialogue_id", "scenario_id", "is_genuine", "score", "n_turns"]
    genuine = [float(r["score"]) for r in rows if r["is_genuine"] == "1"]
    impostor = [float(r["score"]) for r in rows if r["is_genuine"] == "0"]
    assert min(genuine) > max(impostor)
    assert all(r["n_turns"] == "3" for r in rows)
