"""Shared building blocks for layouts: ReportLab flowables (pdf) and python-docx helpers (docx)."""
