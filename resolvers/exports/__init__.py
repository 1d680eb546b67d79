"""Data out of tabel in the formats people's tools read: XLSX sheets with the school's
formatting (`sheets`), and the statements' own shapes."""
