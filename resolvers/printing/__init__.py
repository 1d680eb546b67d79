"""Printed documents: PDFs typeset by Typst from a template and the data it is given.

- `pdf`: the engine — a template and its data in, the PDF (or a page as PNG) out.
- `login_slips.typ`: a slip per person with their login and temporary password (R-ACC-1).
"""
