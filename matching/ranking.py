"""Re-ranking rules: spread the first places over spheres, cap tours per enterprise."""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence

import numpy as np

# At most this many of the first HEAD places may share a sphere (while others are left).
SPHERE_CAP = 2
HEAD = 5
# How many best-scored candidates the diversity rule may reorder.
CANDIDATES = 50
ENTERPRISE_CAP = 2


def top_candidates(scores: np.ndarray, count: int, exclude: int | None = None) -> np.ndarray:
    """Indices of the ``count`` best scores, best first (ties by index, so runs repeat)."""
    if exclude is not None:
        scores = scores.copy()
        scores[exclude] = -np.inf
        count = min(count, len(scores) - 1)
    count = min(count, len(scores))
    if count <= 0:
        return np.empty(0, dtype=np.int64)
    part = np.argpartition(-scores, count - 1)[:count] if count < len(scores) else np.arange(count)
    return part[np.lexsort((part, -scores[part]))]


def spread_spheres(order: Sequence[int], spheres: Sequence[Hashable]) -> list[int]:
    """``order`` with its first HEAD places holding at most SPHERE_CAP items of one sphere.

    An item that would break the cap waits and takes the next free place after the head; if
    the other spheres run out before the head is full, the waiting items fill it in order.
    """
    head: list[int] = []
    waiting: list[int] = []
    used: Counter = Counter()
    rest = list(order)
    while rest and len(head) < HEAD:
        item = rest.pop(0)
        if used[spheres[item]] < SPHERE_CAP:
            head.append(item)
            used[spheres[item]] += 1
        else:
            waiting.append(item)
    while waiting and len(head) < HEAD:
        head.append(waiting.pop(0))
    # The waiting items keep their relative place ahead of weaker candidates.
    position = {item: i for i, item in enumerate(order)}
    return head + sorted(waiting + rest, key=position.__getitem__)


def cap_per_key(order: Sequence[int], keys: Sequence[Hashable], cap: int, limit: int) -> list[int]:
    """The first ``limit`` items of ``order`` taking at most ``cap`` per key."""
    chosen: list[int] = []
    used: Counter = Counter()
    for item in order:
        if used[keys[item]] < cap:
            chosen.append(item)
            used[keys[item]] += 1
            if len(chosen) == limit:
                break
    return chosen
