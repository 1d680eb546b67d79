"""The bundle's manifest: `manifest.csv` (name, size, sha256, rows of every file before it) and
`SHA256SUMS`, as `sha256sum` writes and `sha256sum -c` checks it (the manifest included)."""

import csv
import io

from resolvers.exports.archive.entries import BundleZip

MANIFEST, SUMS = "manifest.csv", "SHA256SUMS"


def write_manifest(bundle: BundleZip) -> None:
    text = io.StringIO()
    table = csv.writer(text, lineterminator="\r\n")
    table.writerow(["name", "size", "sha256", "rows"])
    for entry in bundle.entries:
        table.writerow(
            [entry.name, entry.size, entry.sha256, "" if entry.rows is None else entry.rows]
        )
    bundle.add(MANIFEST, text.getvalue().encode(), rows=len(bundle.entries))
    sums = "".join(f"{entry.sha256}  {entry.name}\n" for entry in bundle.entries)
    bundle.add(SUMS, sums.encode())
