"""A school's set-up: reading and writing what the admin and the deputies keep.

- `classes`: who is in a class or a group, and their placements.
- `class_writes`: creating, correcting and removing (or archiving) classes.
- `group_writes`: splitting a class into subgroups and setting their students.
- `school_settings`: the admin's settings of a school (the grade edit window).
"""
