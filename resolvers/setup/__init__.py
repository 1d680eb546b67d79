"""A school's set-up: reading and writing what the admin, the deputies and the class teachers
keep, in the order a school is set up.

- `schools`: a school opened with its first admin (`tabel init`, `schoolCreate`).
- `school_settings`: the admin's settings of a school (the grade edit window).
- `premises_writes`: the school's parameters, its buildings and rooms.
- `curriculum_writes`, `subject_links`, `grade_scale_writes`: subjects (with «без аттестации»),
  who teaches them, where and to which classes, work types, grade scales.
- `calendar_writes`, `bell_schedule_writes`, `school_day_writes`: school years and reporting
  periods, bell schedules, days off and moved working days (`school_days` reads them).
- `reference_checks`: what every reference write checks first.
- `classes`: who is in a class or a group, and their placements.
- `class_writes`: creating, correcting and removing (or archiving) classes.
- `group_writes`: splitting a class into subgroups and setting their students.
- `plan_writes`, `plan_import`: the КТП, typed or imported from CSV/XLSX.
- `timetable_writes`: the weekly timetable entered and corrected from a date, history kept.
- `timetable_changes`: one day's changes (substitution, room, move, extra, cancellation).
- `timetable_slots`: weekly slots ended (history kept), withdrawn or made, audited.
- `timetable_facts`, `timetable_clashes`: what those check first; nobody booked twice.
- `lesson_planning`: lessons made from the timetable (`plan_lessons`), from `lesson_slots` (what
  the timetable and its changes ask for, on the `school_days`) and `lesson_holdings` (the
  lessons there are, and what they hold).
- `replanning`: the coming two weeks' lessons re-planned after each timetable or calendar write.
- `readiness`: what a school still lacks before its year starts (`schoolSetup`).
"""
