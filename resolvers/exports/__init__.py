"""Data out of tabel in the formats people's tools read: XLSX and CSV with the school's
formatting (`sheets`), and each screen's answer as sheets (`*_files`: the grade grid, the class
journal, journal control, the activity rating, the school overview, the summary statements and
the attestation summary), read through the screen's own resolver."""
