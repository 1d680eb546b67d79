"""The journal: reading what was recorded, and every write to it.

- `lessons`: reading lessons and what was recorded in them, filtered.
- `journal_writes`: what every write to a lesson does first (find, lock, ask the policy).
- `deadlines`: when an entry is due, in the school's time zone.
- `lesson_entry`, `attendance_marking`, `homework_entry`, `grade_entry`: filling in a lesson.
- `final_grade_entry`, `period_reopening`: term and final grades, and the locks they set.
- `grade_reports`: reports of a wrong grade, answered by the teacher.
"""
