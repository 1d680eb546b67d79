"""The screens: what a dashboard shows, computed in SQL in a few statements.

- `grade_grid`, `class_journal`, `diary`, `school_overview`: one module per screen.
- `journal_cells`: what a set of lessons recorded, as flat rows the screens share.
- `averages`: averages and weighted averages, the same on every screen.
- `journal_facts`, `journal_control`, `activity_rating`: the control of journals and the
  rating built on it.
"""
