"""The class journal printed whole: every subject (group) of a class in a period (Б.2 #2,
В.2 #2), for printing and the archive."""

import base64
from typing import Annotated

import strawberry

from policies.vocabulary import Action, Resource
from resolvers.printing import journal_pages
from schema.base import Info, decode_id
from schema.permissions import can
from schema.setup.calendar import Period
from schema.setup.classes import SchoolClass


@strawberry.type(description="A class's journal pages in a period, printed.")
class ClassJournalPages:
    class_id: strawberry.Private[int]
    period_id: strawberry.Private[int]

    @strawberry.field(
        description="Every subject's pages (base64 PDF, landscape A4), by subject name, each "
        "as `gradeGrid.pdf` prints one: students × lesson dates with marks and absences and "
        "the period's final grades, then the lessons with topics, homework and the teacher's "
        "signature column."
    )
    async def pdf(self, info: Info) -> str:
        document = await journal_pages.class_journal_pdf(
            info.context, self.class_id, self.period_id
        )
        return base64.b64encode(document).decode()


async def class_journal_pages(
    class_id: Annotated[
        strawberry.ID, strawberry.argument(description="The class (a `SchoolClass` ID).")
    ],
    period_id: Annotated[
        strawberry.ID,
        strawberry.argument(description="The reporting period (a `Period` ID)."),
    ],
) -> ClassJournalPages:
    return ClassJournalPages(
        class_id=decode_id(class_id, SchoolClass), period_id=decode_id(period_id, Period)
    )


class_journal_pages_field = strawberry.field(
    resolver=class_journal_pages,
    permission_classes=[can(Resource.JOURNAL_PAGE, Action.READ)],
    description="A class's whole journal in a reporting period, printed as the paper class "
    "journal (классный журнал) lays it out: each subject (group) of the class, its students "
    "× lesson dates and its lessons' pages, as many spreads as its lessons need. The head, "
    "deputies, admin and inspectors, the class teacher; a teacher gets the subjects they "
    "teach in the class. In six statements per 93 days of the period, and four more.",
)
