"""The leaflet's design, shared by its PDF and DOCX: page geometry, type-size ladders and the panel's columns."""

from __future__ import annotations

from factsheet_builder.render.units import A4, MM

KIND = "staff fact sheet"  # what the document titles call it
BODY_SIZES = (12.0, 11.75, 11.5, 11.25, 11.0, 10.75, 10.5, 10.25, 10.0, 9.75, 9.5)  # the fit tries them in turn
PANEL_SCALES = (1.0, 0.95, 0.9, 0.85, 0.8, 0.75)  # the "Who to talk to" panel's type, shrunk for a large team

W, H = A4
MARGIN = 12.7 * MM
GUTTER = 6 * MM
BAND_H = 27 * MM
ATTRIB_H = 5.5 * MM
FOOTER_H = 6.5 * MM
PANEL_H = 57 * MM
GAP = 4 * MM
INNER_W = W - 2 * MARGIN
COL_W = (INNER_W - GUTTER) / 2
BODY_BOTTOM = MARGIN + FOOTER_H
P1_TOP = H - MARGIN - BAND_H - ATTRIB_H
P1_BOTTOM = BODY_BOTTOM + PANEL_H + GAP
P2_TOP = H - MARGIN

PANEL_COLUMNS = (0.22, 0.26, 0.15, 0.37)  # role, name, phone, email: shares of the inner width
DOCX_SHRINK = 0.5  # points off the PDF's body size: Word and LibreOffice set lines a little looser than ReportLab
