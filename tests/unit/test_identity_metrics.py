"""EVI verification metrics: hand-checkable cases, and the reference report reproduced exactly."""

from __future__ import annotations

import csv

import pytest

from benchmarks.evi_metrics import det_curve, equal_error_rate, frr_at_far, verification_report
from frontdoor.paths import shared_data

SHARED = shared_data()
REFERENCE = SHARED / "evi" / "reference_scores_seeking_fuzzy.en.tsv"


def test_perfect_separation() -> None:
    scores = [0.9, 0.8, 0.2, 0.1]
    genuine = [True, True, False, False]
    curve = det_curve(scores, genuine)
    assert equal_error_rate(curve)[0] == 0.0
    assert frr_at_far(curve, 1 / 1000) == 0.0


def test_failures_to_acquire_count_as_rejections() -> None:
    scores = [0.9, 0.15, None, 0.2, 0.1]
    genuine = [True, True, True, False, False]
    report = verification_report(scores, genuine, [3, 3, 9, 3, 3])
    assert report.fta == pytest.approx(0.2)
    assert report.avg_turns == pytest.approx(4.2)
    curve = det_curve(scores, genuine)
    assert min(p.frr for p in curve) == pytest.approx(0.2)
    assert max(p.far for p in curve) == pytest.approx(0.5 * 0.8)


def test_interpolation_follows_the_curve_by_falling_threshold() -> None:
    curve = det_curve([0.9, 0.8, 0.7, 0.6, 0.5, 0.4], [True, False, True, False, True, False])
    points = {p.threshold: (p.far, p.frr) for p in curve}
    assert points[0.8] == pytest.approx((1 / 3, 2 / 3)) and points[0.7] == pytest.approx((1 / 3, 1 / 3))
    assert points[0.6] == pytest.approx((2 / 3, 1 / 3))
    assert frr_at_far(curve, 0.5) == pytest.approx(1 / 3)
    assert frr_at_far(curve, 1 / 6) == pytest.approx(2 / 3)
    assert frr_at_far(curve, 0.99) == 0.0


def test_degenerate_inputs_are_clear_errors() -> None:
    with pytest.raises(ValueError):
        det_curve([0.5, 0.6], [True, True])
    with pytest.raises(ValueError):
        det_curve([0.5], [True, False])


@pytest.mark.skipif(not REFERENCE.exists(), reason=f"EVI reference scores not found at {REFERENCE}")
def test_reference_report_is_reproduced() -> None:
    with REFERENCE.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    report = verification_report(
        [float(r["score"]) if r["score"] else None for r in rows],
        [r["is_genuine"] == "1" for r in rows],
        [int(r["n_turns"]) for r in rows],
    )
    assert round(report.eer * 100, 2) == 11.27
    assert round(report.frr_at_far["1/100"] * 100, 2) == 18.86
    assert round(report.frr_at_far["1/1000"] * 100, 2) == 18.99
    assert round(report.avg_turns, 2) == 3.86
