"""The journal, as the API shows it and takes it.

- `lessons`: lessons as held and what was recorded in them (attendance, homework).
- `grading`: grades for lessons, term and final grades.
- `audit`: the grade change log.
- `journal_queries`: the root lists of all of the above.
- `journal_entry`: filling in a lesson (attendance, topic, substitute, homework).
- `grade_entry`: a lesson's grades in one call.
- `final_grade_entry`: term and final grades, and reopening a locked period.
- `grade_reports`: reports of a wrong grade, and the teacher's answer.
"""
