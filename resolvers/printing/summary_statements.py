"""Summary statements printed (R-SUMMARY-1, §4.14): the figures of `screens.summary_statement`,
a student per A4 page, for the parents who take them on paper."""

import model as m
from resolvers.context import Context
from resolvers.people.names import class_name, day, full_name
from resolvers.printing.pdf import render_pdf
from resolvers.screens.summary_statement import Statements


def _figure(value: object) -> str | None:
    return None if value is None else str(value)


async def summary_statements_pdf(ctx: Context, answer: Statements) -> bytes:
    school = None
    if answer.statements and answer.statements[0].school_class is not None:
        school = await ctx.db.session.get(m.School, answer.statements[0].school_class.school_id)
    principal = ctx.require_principal()
    generated = principal.scope(school.id).today if school is not None else answer.date_to
    data = {
        "school": "" if school is None else school.short_name or school.name,
        "generated_on": day(generated),
        "date_from": day(answer.date_from),
        "date_to": day(answer.date_to),
        "period": None if answer.period is None else answer.period.name,
        "statements": [
            {
                "name": full_name(statement.student),
                "class": None
                if statement.school_class is None
                else class_name(statement.school_class),
                "lessons_held": statement.total("lessons_held"),
                "lates": statement.total("lates"),
                "missed_valid": statement.total("missed_valid"),
                "missed_unexcused": statement.total("missed_unexcused"),
                "subjects": [
                    {
                        "subject": subject.subject,
                        "lessons_held": subject.lessons_held,
                        "grades": [
                            {
                                "day": grade.held_on.strftime("%d.%m"),
                                "mark": grade.mark,
                                "work_type": grade.work_type,
                            }
                            for grade in subject.grades
                        ],
                        "average": _figure(subject.average),
                        "weighted_average": _figure(subject.weighted_average),
                        "lates": subject.lates,
                        "missed_valid": subject.missed_valid,
                        "missed_unexcused": subject.missed_unexcused,
                    }
                    for subject in statement.subjects
                ],
            }
            for statement in answer.statements
        ],
    }
    return await render_pdf("summary_statements.typ", data)
