"""Small statistics helpers (no numpy needed in the workers)."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0-100), linear between closest ranks; 0.0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    if len(ordered) == 1:
        return float(ordered[0])
    pos = (len(ordered) - 1) * q / 100.0
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return float(ordered[low] + (ordered[high] - ordered[low]) * (pos - low))


def median(values: Sequence[float]) -> float:
    return float(statistics.median(values)) if values else 0.0


def ratio(value: float, baseline: float) -> float:
    return value / baseline if baseline else float("nan")


def median_interval(values: Sequence[float], confidence: float = 0.95) -> tuple[float, float] | None:
    """A distribution-free confidence interval for the median: the order statistics x(k) and
    x(n+1-k) with the largest k for which P(Binomial(n, ½) < k) ≤ (1 − confidence) / 2; None when
    there are too few values for that confidence (fewer than 6 at 95%)."""
    ordered = sorted(values)
    n = len(ordered)
    tail = (1.0 - confidence) / 2.0
    below = 0.0  # P(Binomial(n, 1/2) < k), for k = 1, 2, ...
    k = 0
    while k < n // 2:
        below += math.comb(n, k) / 2.0 ** n
        if below > tail:
            break
        k += 1
    if k == 0:
        return None
    return float(ordered[k - 1]), float(ordered[n - k])
