"""A school's set-up: reading and writing what the admin and the deputies keep.

- `classes`: who is in a class or a group.
- `school_settings`: the admin's settings of a school (the grade edit window).
"""
