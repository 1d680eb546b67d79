"""tabel."""
