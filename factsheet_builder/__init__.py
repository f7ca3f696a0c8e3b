"""factsheet-builder: per-school safeguarding fact sheets from one canonical leaflet."""

from __future__ import annotations

__version__ = "0.1.0"
