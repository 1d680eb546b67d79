"""The root mutation: every write the API accepts."""

import strawberry

from schema.accounts import api_tokens, sign_in
from schema.journal import final_grade_entry, grade_entry, grade_reports, journal_entry
from schema.people import people_writes, placement_writes
from schema.setup import class_writes


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

    # Classes and their groups (А #17, Г.1 #6)
    class_create = class_writes.class_create_field
    class_update = class_writes.class_update_field
    class_remove = class_writes.class_remove_field
    group_create = class_writes.group_create_field
    group_update = class_writes.group_update_field
    group_students_set = class_writes.group_students_set_field
    group_remove = class_writes.group_remove_field

    # Students' placements in classes (А #20, R-PEOPLE-1)
    students_enrol = placement_writes.students_enrol_field
    students_move = placement_writes.students_move_field
    students_leave = placement_writes.students_leave_field

    # People and their roles (А #13, #19, Б.1 #5, R-PEOPLE-1)
    people_create = people_writes.people_create_field
    person_update = people_writes.person_update_field
    guardians_link = people_writes.guardians_link_field
    guardians_unlink = people_writes.guardians_unlink_field
    roles_grant = people_writes.roles_grant_field
    roles_revoke = people_writes.roles_revoke_field
