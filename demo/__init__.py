"""The deterministic demo school generator behind `tabel demo` and `tabel serve --demo`."""

from demo.generate import generate_demo
from demo.options import DemoLogin, DemoOptions

__all__ = ["DemoLogin", "DemoOptions", "generate_demo"]
