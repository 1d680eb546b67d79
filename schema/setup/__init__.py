"""A school's set-up, as the API shows it and takes it: what the admin, the deputies and the
class teachers keep.

- `school`: the tenant hierarchy (region, municipality, school) and the premises.
- `calendar`: school years, reporting periods, bell schedules, days off, moved working days.
- `curriculum`: subjects, grade scales, work types.
- `classes`: classes and their groups.
- `plan`: the calendar-thematic plan (КТП), and its writes and imports.
- `timetable`: the weekly timetable and its dated changes.
- `reference`: the root lists of all of the above.
- `school_opening`: `schoolCreate`, a municipality's operator opening a school.
- `premises_writes`, `curriculum_writes`, `calendar_writes`: the admin's reference writes,
  with what they share in `write_inputs`.
- `class_writes`: classes, groups and placements.
- `timetable_writes`: entering the timetable and changing a day's.
- `readiness`: `schoolSetup`, what the school still lacks before its year starts.
"""
