"""The screens: typed read shapes, each answered in a constant number of statements.

- `journal_views`: the grade grid, the class journal page, the diary week, the school overview.
- `journal_control`: the control of how journals are kept, and the schools' activity rating.
"""
