"""The OneRoster 1.2 CSV export of a school (issue 13, item 5; docs/oneroster.md)."""

from resolvers.exports.oneroster.export import oneroster_zip

__all__ = ["oneroster_zip"]
