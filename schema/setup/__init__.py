"""A school's set-up, as the API shows it: what the admin and the deputies keep.

- `school`: the tenant hierarchy (region, municipality, school) and the premises.
- `calendar`: school years, reporting periods, bell schedules, days off.
- `curriculum`: subjects, grade scales, work types.
- `classes`: classes and their groups.
- `class_writes`: the mutations of classes and their groups.
- `plan`: the calendar-thematic plan (КТП).
- `timetable`: the weekly timetable and its dated changes.
- `timetable_writes`: entering the timetable and changing a day's.
- `reference`: the root lists of all of the above.
"""
