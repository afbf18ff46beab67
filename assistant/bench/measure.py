"""The few measurements every benchmark and the eval report share: percentiles and peak memory."""

from __future__ import annotations

import resource
import statistics
from collections.abc import Sequence


def p95(values: Sequence[float]) -> float:
    """The 95th percentile by nearest rank (0 for no values)."""
    ordered = sorted(values)
    return ordered[max(0, -(-95 * len(ordered) // 100) - 1)] if ordered else 0.0


def p50_p95(values: Sequence[float]) -> tuple[float, float]:
    """Median and 95th percentile (0, 0 for no values)."""
    return (statistics.median(values), p95(values)) if values else (0.0, 0.0)


def peak_rss_mb() -> float:
    """This process's peak resident set size in MB (``ru_maxrss`` is in KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
