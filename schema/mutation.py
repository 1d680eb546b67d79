"""The root mutation: every write the API accepts."""

import strawberry

from schema.accounts import account_writes, api_tokens, compromise, sign_in
from schema.journal import final_grade_entry, grade_entry, grade_reports, journal_entry
from schema.messages import messaging
from schema.notifications import deliveries
from schema.notifications import feed as notification_feed
from schema.notifications import preferences as notification_preferences
from schema.people import (
    consents,
    import_jobs,
    people_import,
    people_writes,
    personal_data,
    placement_writes,
    rollover,
)
from schema.reports import report_jobs
from schema.screens import attestation
from schema.setup import (
    calendar_writes,
    class_writes,
    curriculum_writes,
    plan,
    premises_writes,
    school_opening,
    timetable_writes,
    year_closing,
)


@strawberry.type(
    description="Every write the API accepts. Each is all or nothing, in one transaction, "
    "checked against the rules before anything is written; each says who may make it."
)
class Mutation:
    login = sign_in.login_field
    logout = sign_in.logout_field
    password_change = sign_in.password_change_field

    # Logins and temporary passwords (R-ACC-1): issued, reset, blocked, unblocked.
    accounts_issue = account_writes.accounts_issue_field
    accounts_reset = account_writes.accounts_reset_field
    accounts_block = account_writes.accounts_block_field
    accounts_unblock = account_writes.accounts_unblock_field
    # A compromised account (R-ACC-2, R-ACC-3): reported and blocked, its operations voided.
    compromise_report = compromise.compromise_report_field
    compromise_void = compromise.compromise_void_field

    # The attestation summary certified (R-ATTEST-1, А #6).
    attestation_summary_certify = attestation.attestation_summary_certify_field

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

    # The timetable (R-TT-1): its weekly slots, and one day's changes.
    timetable_set = timetable_writes.timetable_set_field
    timetable_entry_add = timetable_writes.timetable_entry_add_field
    timetable_entry_change = timetable_writes.timetable_entry_change_field
    timetable_entry_end = timetable_writes.timetable_entry_end_field
    timetable_change_add = timetable_writes.timetable_change_add_field
    timetable_change_remove = timetable_writes.timetable_change_remove_field

    # The school's reference data (А #12, #14–#16): premises, curriculum, calendar.
    school_update = premises_writes.school_update_field
    building_create = premises_writes.building_create_field
    building_update = premises_writes.building_update_field
    building_remove = premises_writes.building_remove_field
    room_create = premises_writes.room_create_field
    room_update = premises_writes.room_update_field
    room_remove = premises_writes.room_remove_field
    subject_create = curriculum_writes.subject_create_field
    subject_update = curriculum_writes.subject_update_field
    subject_remove = curriculum_writes.subject_remove_field
    subject_teachers_set = curriculum_writes.subject_teachers_set_field
    subject_rooms_set = curriculum_writes.subject_rooms_set_field
    subject_classes_set = curriculum_writes.subject_classes_set_field
    work_type_create = curriculum_writes.work_type_create_field
    work_type_update = curriculum_writes.work_type_update_field
    work_type_remove = curriculum_writes.work_type_remove_field
    grade_scale_create = curriculum_writes.grade_scale_create_field
    grade_scale_update = curriculum_writes.grade_scale_update_field
    grade_scale_remove = curriculum_writes.grade_scale_remove_field
    school_year_create = calendar_writes.school_year_create_field
    school_year_update = calendar_writes.school_year_update_field
    school_year_remove = calendar_writes.school_year_remove_field
    periods_create = calendar_writes.periods_create_field
    period_update = calendar_writes.period_update_field
    period_remove = calendar_writes.period_remove_field
    bell_schedule_create = calendar_writes.bell_schedule_create_field
    bell_schedule_update = calendar_writes.bell_schedule_update_field
    bell_schedule_remove = calendar_writes.bell_schedule_remove_field
    days_off_create = calendar_writes.days_off_create_field
    day_off_remove = calendar_writes.day_off_remove_field
    working_day_create = calendar_writes.working_day_create_field
    working_day_remove = calendar_writes.working_day_remove_field

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
    students_promote = placement_writes.students_promote_field
    # The school year's end (А #20, R-YEAR-1): its rollover, previewed then committed; closing
    # it (its journal read-only history) and reopening it.
    school_year_rollover = rollover.school_year_rollover_field
    school_year_close = year_closing.school_year_close_field
    school_year_reopen = year_closing.school_year_reopen_field

    # People and their roles (А #13, #19, Б.1 #5, R-PEOPLE-1)
    people_create = people_writes.people_create_field
    person_update = people_writes.person_update_field
    guardians_link = people_writes.guardians_link_field
    guardians_unlink = people_writes.guardians_unlink_field
    roles_grant = people_writes.roles_grant_field
    roles_revoke = people_writes.roles_revoke_field
    # A school's people from a file (issue 12): a dry run's report, then the import.
    people_import_check = people_import.people_import_check_field
    people_import = people_import.people_import_field
    # Personal data (152-FZ, R-PD-1): consents first, then the data.
    consent_record = consents.consent_record_field
    consent_withdraw = consents.consent_withdraw_field
    personal_data_set = personal_data.personal_data_set_field
    # A long file as a job: started at once, followed with `peopleImportJob`.
    people_import_start = import_jobs.people_import_start_field
    # A report or export made as a job (issue 13).
    report_start = report_jobs.report_start_field
    # Notifications (issue 14, Ж.1 #3): what a parent or student is told and how, and when;
    # the in-app feed read.
    notification_subscriptions_set = notification_preferences.notification_subscriptions_set_field
    notification_settings_set = notification_preferences.notification_settings_set_field
    notifications_mark_read = notification_feed.notifications_mark_read_field
    # A notification given up, queued again (issue 14).
    notification_delivery_retry = deliveries.notification_delivery_retry_field
    # Messages inside the school (issue 14, Г.1 #2): written, replied to, read.
    message_send = messaging.message_send_field
    message_reply = messaging.message_reply_field
    messages_mark_read = messaging.messages_mark_read_field

    # Opening a school: a municipality's operator (the first one is `tabel init`'s).
    school_create = school_opening.school_create_field
    # The КТП (calendar-thematic plan): written, corrected, removed, imported from a file.
    plan_create = plan.plan_create_field
    plan_update = plan.plan_update_field
    plan_remove = plan.plan_remove_field
    plan_import = plan.plan_import_field
