"""Searching a ladder of sizes or steps for the first that fits: shared by every layout's fit."""

from __future__ import annotations

from collections.abc import Callable, Sequence


def largest_fitting(sizes: Sequence[float], fits: Callable[[float], bool]) -> float | None:
    """The largest size for which ``fits`` holds, by binary search over a descending ladder (None if none)."""
    index = first_fitting(len(sizes), lambda i: fits(sizes[i]))
    return None if index is None else sizes[index]


def first_fitting(count: int, fits: Callable[[int], bool], hint: int | None = None) -> int | None:
    """The first of ``count`` ladder steps at which ``fits`` holds (it fails, then holds), or None.

    A ``hint`` (the answer for a similar box) is tried first, then up to two steps on from it, so that a box a
    little larger or smaller than one already fitted costs two or three trials; the rest is a binary search.
    """
    lo, hi = 0, count  # every step before lo fails; every step from hi on fits (hi == count: none known to)
    if hint is not None and 0 <= hint < count:
        if fits(hint):
            hi = hint
            for step in (hint - 1, hint - 2):
                if step < 0 or not fits(step):
                    return hi
                hi = step
        else:
            for step in (hint + 1, hint + 2):
                if step >= count:
                    return None
                if fits(step):
                    return step
                lo = step + 1
    while lo < hi:
        mid = (lo + hi) // 2
        if fits(mid):
            hi = mid
        else:
            lo = mid + 1
    return hi if hi < count else None
