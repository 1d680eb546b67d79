"""The root mutation: every write the API accepts."""

import strawberry

from schema.accounts import api_tokens, sign_in
from schema.journal import final_grade_entry, grade_entry, grade_reports, journal_entry
from schema.setup import plan, school_opening


@strawberry.type(
    description="Every write the API accepts. Each is all or nothing, in one transaction, "
    "checked against the rules before anything is written; each says who may make it."
)
class Mutation:
    login = sign_in.login_field
    logout = sign_in.logout_field
    password_change = sign_in.password_change_field

    api_token_issue = api_tokens.api_token_issue_field
    api_token_revoke = api_tokens.api_token_revoke_field

    grades_set = grade_entry.grades_set_field
    attendance_mark = journal_entry.attendance_mark_field
    lesson_update = journal_entry.lesson_update_field
    lesson_substitute = journal_entry.lesson_substitute_field
    homework_assign = journal_entry.homework_assign_field
    final_grades_set = final_grade_entry.final_grades_set_field
    grade_edit_window_set = journal_entry.grade_edit_window_set_field
    period_reopen = final_grade_entry.period_reopen_field
    grade_report = grade_reports.grade_report_field
    grade_report_answer = grade_reports.grade_report_answer_field
    attendance_day_mark = journal_entry.attendance_day_mark_field

    # Opening a school: a municipality's operator (the first one is `tabel init`'s).
    school_create = school_opening.school_create_field
    # The КТП (calendar-thematic plan): written, corrected, removed, imported from a file.
    plan_create = plan.plan_create_field
    plan_update = plan.plan_update_field
    plan_remove = plan.plan_remove_field
    plan_import = plan.plan_import_field
