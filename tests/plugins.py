"""Installing a test plugin the way pip would: a dist-info whose entry point names it."""

from pathlib import Path

import pytest


def install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, group: str, target: str
) -> None:
    """`tests/<name>_plugin`'s `target` («tests.nurse_plugin:plugin») published under the
    entry-point `group`, for the rest of the test."""
    dist = tmp_path / f"tabel_{name}-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text(f"Metadata-Version: 2.1\nName: tabel-{name}\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text(f"[{group}]\n{name} = {target}\n")
    monkeypatch.syspath_prepend(str(tmp_path))
