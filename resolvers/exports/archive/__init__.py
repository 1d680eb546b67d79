"""The archive of a school's period or year: one zip readable without tabel (`bundle`)."""

from resolvers.exports.archive.bundle import PARTS, Part, archive_zip

__all__ = ["PARTS", "Part", "archive_zip"]
