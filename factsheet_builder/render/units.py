"""Lengths in points, the unit both formats are designed in, computed as ReportLab computes them."""

from __future__ import annotations

CM = 72.0 / 2.54
MM = CM * 0.1
A3 = (297 * MM, 420 * MM)
A4 = (210 * MM, 297 * MM)


def to_mm(points: float) -> float:
    """A length in points, in millimetres."""
    return points / MM
