"""Retry delays: capped exponential backoff with full jitter (REFERENCE §4.4).

``delay = uniform(0, min(cap, base · 2ⁿ))``: the jitter spreads a fleet of kiosks that
failed at the same moment so they do not come back at the same moment. A server's
Retry-After is a floor, not a meeting time: the jitter is added on top of it.
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
    rng: random.Random = field(default_factory=random.Random)

    def ceiling(self, failures: int) -> float:
        """The largest delay after ``failures`` consecutive failures (1 = the first)."""
        exponent = min(max(failures - 1, 0), 62)
        return min(self.cap_s, self.base_s * (2.0 ** exponent))

    def delay(self, failures: int, retry_after: float | None = None) -> float:
        ceiling = self.ceiling(failures)
        spread = self.rng.uniform(0.0, ceiling) if self.jitter else ceiling
        return (retry_after or 0.0) + spread
