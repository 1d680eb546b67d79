"""A school's set-up: reading and writing what the admin and the deputies keep.

- `classes`: who is in a class or a group, and their placements.
- `class_writes`: creating, correcting and removing (or archiving) classes.
- `group_writes`: splitting a class into subgroups and setting their students.
- `lesson_planning`: lessons made from the timetable (`plan_lessons`), from `lesson_slots` (what
  the timetable and its changes ask for, on the `school_days`) and `lesson_holdings` (the
  lessons there are, and what they hold).
- `school_settings`: the admin's settings of a school (the grade edit window).
- `timetable_writes`: the weekly timetable entered and corrected from a date, history kept.
- `timetable_changes`: one day's changes (substitution, room, move, extra, cancellation).
- `timetable_slots`: weekly slots ended (history kept), withdrawn or made, audited.
- `timetable_facts`, `timetable_clashes`: what those check first; nobody booked twice.
- `replanning`: the coming two weeks' lessons re-planned after each of them.
"""
