"""Budget arithmetic in whole euros."""

from __future__ import annotations

from collections.abc import Sequence


def split_by_population(total: int, populations: Sequence[int]) -> list[int]:
    """Split ``total`` in proportion to ``populations`` (largest remainder; sums exactly)."""
    if total < 0:
        raise ValueError("total must not be negative")
    weight = sum(populations)
    if not populations:
        return []
    if weight <= 0:
        base = [total // len(populations)] * len(populations)
        for i in range(total - sum(base)):
            base[i] += 1
        return base
    shares = [total * p // weight for p in populations]
    remainders = sorted(range(len(populations)), key=lambda i: (-(total * populations[i] % weight), i))
    for i in remainders[: total - sum(shares)]:
        shares[i] += 1
    return shares
