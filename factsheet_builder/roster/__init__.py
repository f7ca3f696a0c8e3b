"""``factsheet import``: a local authority's roster (CSV or XLSX, one row per school) into school files.

``table`` reads the rows, ``columns`` says which school-file key each column fills, ``importer`` applies each
row to its school's file and checks it as ``factsheet check`` would, ``report`` holds what it did, and
``yamledit`` edits a school file's YAML while keeping its comments, key order and quoting.
"""
