"""Retry delays: capped exponential backoff with full jitter (REFERENCE §4.4).

Dossier retries use full jitter, ``delay = uniform(0, min(cap, base · 2ⁿ))``: it spreads a
fleet of kiosks that failed at the same moment so they do not come back at the same moment.
Probes of an unreachable portal use equal jitter, ``c/2 + uniform(0, c/2)``: with full
jitter the first probes after an outage ends arrive at twice the average rate (the forward
recurrence time of uniform gaps is triangular), with equal jitter at 4/3 of it, which keeps a
fleet's reconnection peak within 2× its steady rate (bench/bench_sync.py measures it). A
server's Retry-After is a floor, not a meeting time: the jitter is added on top of it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field


@dataclass
class Backoff:
    """The delay policy; ``jitter=False`` exists only to measure the thundering herd it prevents."""

    base_s: float
    cap_s: float
    jitter: bool = True
    equal: bool = False  # equal jitter (half fixed, half random) instead of full jitter
    rng: random.Random = field(default_factory=random.Random)

    def ceiling(self, failures: int) -> float:
        """The largest delay after ``failures`` consecutive failures (1 = the first)."""
        exponent = min(max(failures - 1, 0), 62)
        return min(self.cap_s, self.base_s * (2.0 ** exponent))

    def delay(self, failures: int, retry_after: float | None = None) -> float:
        ceiling = self.ceiling(failures)
        if not self.jitter:
            spread = ceiling
        elif self.equal:
            spread = ceiling / 2 + self.rng.uniform(0.0, ceiling / 2)
        else:
            spread = self.rng.uniform(0.0, ceiling)
        return (retry_after or 0.0) + spread
