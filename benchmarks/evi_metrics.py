"""Verification metrics of the EVI protocol (DET curve, FAR/FRR with FTA, EER, FRR at a FAR).

Written from the protocol in ``shared/data/README.md`` so that our figures are
comparable with the paper's: the curve keeps one point per distinct score
(accept when score >= threshold), trimmed like the reference's DET curve (it
starts at the lowest threshold that still has the top threshold's false
matches and stops at the first threshold without false non-matches), EER by
the FVC2000 bracketing method, FRR at a FAR by linear interpolation on the
curve sorted by rising FAR (below the curve: its highest FRR; above: 0).
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Optional


@dataclass(frozen=True)
class CurvePoint:
    threshold: float
    far: float
    frr: float


@dataclass(frozen=True)
class VerificationReport:
    trials: int
    threshold_at_far_1000: float
    genuine: int
    impostor: int
    fta: float
    eer: float
    eer_threshold: float
    frr_at_far: dict[str, float]
    avg_turns: float


def det_curve(scores: Sequence[Optional[float]], genuine: Sequence[bool]) -> list[CurvePoint]:
    """FAR/FRR per distinct threshold, in rising threshold order; ``None`` scores count as FTA."""
    if len(scores) != len(genuine):
        raise ValueError("scores and genuine labels differ in length")
    scored = [(float(s), bool(g)) for s, g in zip(scores, genuine, strict=True) if s is not None]
    fta = 1.0 - len(scored) / len(scores) if scores else 0.0
    positives = sum(g for _, g in scored)
    negatives = len(scored) - positives
    if not positives or not negatives:
        raise ValueError("need at least one scored genuine and one scored impostor trial")
    scored.sort(key=lambda pair: -pair[0])
    thresholds: list[float] = []
    tps: list[int] = []
    fps: list[int] = []
    tp = fp = 0
    for index, (score, is_genuine) in enumerate(scored):
        tp += is_genuine
        fp += not is_genuine
        if index + 1 == len(scored) or scored[index + 1][0] != score:
            thresholds.append(score)
            tps.append(tp)
            fps.append(fp)
    first = bisect.bisect_right(fps, fps[0]) - 1
    last = bisect.bisect_left(tps, tps[-1]) + 1
    points = [
        CurvePoint(thresholds[i], fps[i] / negatives * (1 - fta), fta + (positives - tps[i]) / positives * (1 - fta))
        for i in range(max(first, 0), last)
    ]
    return points[::-1]


def equal_error_rate(curve: Sequence[CurvePoint]) -> tuple[float, float]:
    """EER and its threshold by the FVC2000 method (Maio et al. 2002): the two thresholds bracketing FAR = FRR."""
    below = [p for p in curve if p.frr <= p.far]
    above = [p for p in curve if p.frr >= p.far]
    if not below or not above:
        raise ValueError("the curve does not cross FAR = FRR")
    t1 = max(below, key=lambda p: p.threshold)
    t2 = min(above, key=lambda p: p.threshold)
    if t1.frr + t1.far <= t2.frr + t2.far:
        low, high = t1.frr, t1.far
    else:
        low, high = t2.far, t2.frr
    return (low + high) / 2, (t1.threshold + t2.threshold) / 2


def frr_at_far(curve: Sequence[CurvePoint], far: float) -> float:
    """FRR at an operating FAR, interpolated linearly between the curve points that bracket it."""
    rising = sorted(curve, key=lambda p: p.threshold, reverse=True)
    return _interpolate([p.far for p in rising], [p.frr for p in rising], far, max(p.frr for p in rising), 0.0)


def threshold_at_far(curve: Sequence[CurvePoint], far: float) -> float:
    """The score threshold of an operating FAR, interpolated like ``frr_at_far``."""
    rising = sorted(curve, key=lambda p: p.threshold, reverse=True)
    return _interpolate([p.far for p in rising], [p.threshold for p in rising], far, 1.0, 0.0)


def _interpolate(xs: list[float], ys: list[float], x: float, left: float, right: float) -> float:
    if x < xs[0]:
        return left
    if x > xs[-1]:
        return right
    j = bisect.bisect_right(xs, x) - 1
    if j == len(xs) - 1 or xs[j] == x:
        return ys[j]
    return ys[j] + (ys[j + 1] - ys[j]) * (x - xs[j]) / (xs[j + 1] - xs[j])


OPERATING_POINTS = {"1/10": 1 / 10, "1/100": 1 / 100, "1/1000": 1 / 1000, "1/10000": 1 / 10000}


def verification_report(
    scores: Sequence[Optional[float]], genuine: Sequence[bool], turns: Sequence[int]
) -> VerificationReport:
    """Every figure of the paper's verification table for one system."""
    curve = det_curve(scores, genuine)
    eer, threshold = equal_error_rate(curve)
    fta = sum(s is None for s in scores) / len(scores)
    return VerificationReport(
        trials=len(scores),
        threshold_at_far_1000=threshold_at_far(curve, 1 / 1000),
        genuine=sum(bool(g) for g in genuine),
        impostor=sum(not g for g in genuine),
        fta=fta,
        eer=eer,
        eer_threshold=threshold,
        frr_at_far={name: frr_at_far(curve, far) for name, far in OPERATING_POINTS.items()},
        avg_turns=sum(turns) / len(turns) if turns else 0.0,
    )
