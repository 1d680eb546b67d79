"""The attestation summary (R-ATTEST-1) as a typed read shape, its XLSX and PDF, its
certification and the check of a certified paper's checksum."""

import base64
from datetime import datetime
from typing import Annotated, Any, ClassVar

import strawberry
from strawberry import relay

import model as m
from policies.vocabulary import Action, Resource
from resolvers.exports import attestation_files
from resolvers.people.names import full_name, short_name
from resolvers.screens import attestation, certification
from schema import list_sizes as sizes
from schema.base import Info, ModelNode, decode_id, reads, related
from schema.bounds import list_argument, text_argument
from schema.list_sizes import at_most
from schema.people.person import account_holder
from schema.permissions import PersonalAccount, can
from schema.screens import files
from schema.screens.journal_views import ClassLine, StudentLine, SubjectLine, global_id
from schema.setup.calendar import Period
from schema.setup.classes import SchoolClass
from schema.setup.school import School

CLASSES = 60  # of a school
PARALLELS = 11
COLUMNS = sizes.SUBJECTS_OF_A_CLASS * sizes.PERIODS


@strawberry.type(description="A subject in a period: a column of the summary's grades.")
class AttestationColumn:
    __resource__: ClassVar[Resource] = Resource.FINAL_GRADE
    subject: SubjectLine = strawberry.field(
        description="The subject.", metadata=reads(Resource.CURRICULUM)
    )
    period_name: str = strawberry.field(description="The reporting period («1 четверть»).")


@strawberry.type(description="A student's row: their grades, a mark per column.")
class AttestationStudent:
    __resource__: ClassVar[Resource] = Resource.FINAL_GRADE
    student: StudentLine = strawberry.field(
        description="The student.", metadata=reads(Resource.PERSON)
    )
    marks: list[str | None] = strawberry.field(
        description="The grade in each of the summary's `columns`, in their order, as the "
        "journal writes it (a mark, or «н/а», «осв.», «зач.»); null: none given.",
        metadata=at_most(COLUMNS),
    )


@strawberry.type(description="Counts of the grades given, and the shares of students.")
class AttestationTally:
    __resource__: ClassVar[Resource] = Resource.FINAL_GRADE
    students: int = strawberry.field(description="Students with a grade counted here.")
    fives: int = strawberry.field(description="Grades of 5.")
    fours: int = strawberry.field(description="Grades of 4.")
    threes: int = strawberry.field(description="Grades of 3.")
    twos: int = strawberry.field(description="Grades of 2 (and below).")
    not_attested: int = strawberry.field(description="«н/а»: not attested.")
    exempt: int = strawberry.field(description="«осв.»: exempt.")
    passed: int = strawberry.field(description="«зач.»: a pass.")
    success_percent: str | None = strawberry.field(
        description="Успеваемость: the share of attested students without a 2 or «н/а», in "
        "percent to one decimal; null: nobody attested."
    )
    quality_percent: str | None = strawberry.field(
        description="Качество: the share of attested students with only 4s and 5s (and passes)."
    )


@strawberry.type(description="A subject's counts in a class, a parallel or the school.")
class AttestationSubject(AttestationTally):
    subject: SubjectLine = strawberry.field(
        description="The subject.", metadata=reads(Resource.CURRICULUM)
    )


@strawberry.type(description="A class, a parallel or the school: its rows and counts.")
class AttestationSection:
    __resource__: ClassVar[Resource] = Resource.FINAL_GRADE
    name: str = strawberry.field(description="«5А», «5 классы», or the school's name.")
    school_class: ClassLine | None = strawberry.field(
        description="The class; null otherwise.", metadata=reads(Resource.SCHOOL_CLASS)
    )
    students: list[AttestationStudent] = strawberry.field(
        description="A class's students, by name; empty for a parallel and the school.",
        metadata=reads(Resource.FINAL_GRADE) | at_most(sizes.CLASS_SIZE),
    )
    subjects: list[AttestationSubject] = strawberry.field(
        description="The counts per subject, by the subject's name.",
        metadata=reads(Resource.FINAL_GRADE) | at_most(sizes.SUBJECTS_OF_A_CLASS),
    )
    total: AttestationTally = strawberry.field(
        description="The counts over every subject.", metadata=reads(Resource.FINAL_GRADE)
    )


def _tally(t: attestation.Tally) -> dict[str, Any]:
    c = t.counts
    return {
        "students": len(t.students),
        "fives": c[attestation.FIVE],
        "fours": c[attestation.FOUR],
        "threes": c[attestation.THREE],
        "twos": c[attestation.TWO],
        "not_attested": c[attestation.NOT_ATTESTED],
        "exempt": c[attestation.EXEMPT],
        "passed": c[attestation.PASSED],
        "success_percent": None if t.success is None else str(t.success),
        "quality_percent": None if t.quality is None else str(t.quality),
    }


def _section(summary: attestation.Summary, s: attestation.Section) -> AttestationSection:
    names = dict(summary.subjects)
    columns = [(period.id, subject) for period, subject, _ in summary.columns]
    return AttestationSection(
        name=s.name,
        school_class=None
        if s.school_class is None
        else ClassLine(id=global_id("SchoolClass", s.school_class.id), name=s.name),
        students=[
            AttestationStudent(
                student=StudentLine(
                    id=global_id("Person", row.student.id),
                    full_name=full_name(row.student),
                    short_name=short_name(row.student),
                ),
                marks=[row.grades[key][1] if key in row.grades else None for key in columns],
            )
            for row in s.students
        ],
        subjects=[
            AttestationSubject(
                subject=SubjectLine(id=global_id("Subject", subject_id), name=names[subject_id]),
                **_tally(s.subjects[subject_id]),
            )
            for subject_id, _ in summary.subjects
            if subject_id in s.subjects
        ],
        total=AttestationTally(**_tally(s.total)),
    )


@strawberry.type(
    description="The attestation summary (сводная ведомость итогов аттестации) as it stands: "
    "each class's students × subjects × periods, and the counts and shares per class, "
    "parallel and the school."
)
class AttestationSummary:
    summary: strawberry.Private[attestation.Summary]

    @strawberry.field(
        description="The grade columns: subject by subject (by name), period by period.",
        metadata=reads(Resource.FINAL_GRADE) | at_most(COLUMNS),
    )
    def columns(self) -> list[AttestationColumn]:
        return [
            AttestationColumn(
                subject=SubjectLine(id=global_id("Subject", subject_id), name=name),
                period_name=period.name,
            )
            for period, subject_id, name in self.summary.columns
        ]

    @strawberry.field(
        description="Each class, by parallel and letter.",
        metadata=reads(Resource.FINAL_GRADE) | at_most(CLASSES),
    )
    def classes(self) -> list[AttestationSection]:
        return [_section(self.summary, s) for s in self.summary.classes]

    @strawberry.field(
        description="Each parallel, in order.",
        metadata=reads(Resource.FINAL_GRADE) | at_most(PARALLELS),
    )
    def parallels(self) -> list[AttestationSection]:
        return [_section(self.summary, s) for s in self.summary.parallels]

    @strawberry.field(
        description="The whole school (the classes asked about).",
        metadata=reads(Resource.FINAL_GRADE),
    )
    def school(self) -> AttestationSection:
        return _section(self.summary, self.summary.whole)

    @strawberry.field(
        description="The SHA-256 of the summary's data: what a certified PDF prints "
        "(`attestationSummaryCertify`) and `attestationCertificate` checks."
    )
    def checksum(self) -> str:
        return self.summary.checksum

    @strawberry.field(
        description="The summary as an XLSX workbook (base64): a sheet per class, then the "
        "counts, headers frozen, Cyrillic intact."
    )
    def xlsx(self) -> str:
        return base64.b64encode(attestation_files.workbook(self.summary)).decode()

    @strawberry.field(
        description="The summary as a PDF (base64) to look over: marked a draft, not "
        "certified (`attestationSummaryCertify` certifies it)."
    )
    async def pdf(self) -> str:
        document = await attestation_files.pdf(self.summary, generated_by=None, generated_at=None)
        return base64.b64encode(document).decode()

    csv = files.csv_field(
        attestation_files.attestation_summary_sheets, Resource.FINAL_GRADE, answer="summary"
    )


PeriodIds = Annotated[
    list[strawberry.ID],
    list_argument(attestation.MAX_PERIODS, description="Periods of one school year (`Period` IDs)"),
]
SchoolId = Annotated[strawberry.ID, strawberry.argument(description="The school (a `School` ID).")]
ClassId = Annotated[
    strawberry.ID | None,
    strawberry.argument(description="Only this class (a `SchoolClass` ID); default: all."),
]


def _ids(school_id: strawberry.ID, period_ids: list[strawberry.ID], class_id: strawberry.ID | None
         ) -> tuple[int, list[int], int | None]:  # fmt: skip
    return (
        decode_id(school_id, School),
        [decode_id(period_id, Period) for period_id in period_ids],
        None if class_id is None else decode_id(class_id, SchoolClass),
    )


async def attestation_summary(
    info: Info, school_id: SchoolId, period_ids: PeriodIds, class_id: ClassId = None
) -> AttestationSummary:
    summary = await attestation.attestation_summary(
        info.context, *_ids(school_id, period_ids, class_id)
    )
    return AttestationSummary(summary=summary)


@strawberry.type(description="A certified attestation summary, as printed.")
class CertifiedAttestationSummary:
    certified: strawberry.Private[certification.Certified]

    @strawberry.field(description="The SHA-256 of its data, which the PDF prints.")
    def checksum(self) -> str:
        return self.certified.certificate.checksum

    @strawberry.field(description="When it was certified (UTC).")
    def generated_at(self) -> datetime:
        return self.certified.certificate.generated_at

    @strawberry.field(description="The summary certified.", metadata=reads(Resource.FINAL_GRADE))
    def summary(self) -> AttestationSummary:
        return AttestationSummary(summary=self.certified.summary)

    @strawberry.field(
        description="The certified PDF (base64): every page names who generated it, when, and "
        "the checksum of its data."
    )
    async def pdf(self, info: Info) -> str:
        certificate = self.certified.certificate
        principal = info.context.require_principal()
        document = await attestation_files.pdf(
            self.certified.summary, generated_by=principal.name,
            generated_at=certificate.generated_at,
        )  # fmt: skip
        return base64.b64encode(document).decode()


async def attestation_summary_certify(
    info: Info, school_id: SchoolId, period_ids: PeriodIds, class_id: ClassId = None
) -> CertifiedAttestationSummary:
    certified = await certification.certify(info.context, *_ids(school_id, period_ids, class_id))
    return CertifiedAttestationSummary(certified=certified)


@strawberry.type(description="A statement tabel certified: what, who, when, and if it still holds.")
class Certificate(ModelNode):
    __model__ = m.Certificate
    id: relay.NodeID[int]
    checksum: str = strawberry.field(description="The SHA-256 of its data, as printed.")
    generated_at: datetime = strawberry.field(description="When it was certified (UTC).")
    school = related(m.School, "school_id", School, "The school, if you may see it.")
    generated_by = account_holder("generated_by_id", "Who certified it, if you may see them.")


@strawberry.type(description="A certified paper's checksum, checked.")
class CertificateCheck:
    certificate: Certificate = strawberry.field(
        description="The certificate.", metadata=reads(Resource.CERTIFICATE)
    )
    still_matches: bool = strawberry.field(
        description="The data today gives the same checksum: nothing on the paper changed since."
    )


async def attestation_certificate(
    info: Info,
    checksum: Annotated[
        str, text_argument(64 + 8, description="The checksum the statement prints (SHA-256)")
    ],
) -> CertificateCheck:
    verified = await certification.verify(info.context, checksum)
    return CertificateCheck(
        certificate=verified.certificate,  # type: ignore[arg-type]
        still_matches=verified.still_matches,
    )


attestation_summary_field = strawberry.field(
    resolver=attestation_summary,
    permission_classes=[can(Resource.FINAL_GRADE, Action.READ)],
    description="The attestation summary (R-ATTEST-1) of a school's classes, or one class, "
    "over periods of one school year, as it stands: the students × subjects × periods with "
    "their term and final grades, and per subject and overall the counts of 5, 4, 3, 2, "
    "«н/а», «осв.», «зач.» with the success and quality shares, per class, parallel and the "
    "school; with its XLSX and a draft PDF. Marks count by their value on their scale. In "
    "four statements whatever the school.",
)
attestation_summary_certify_field = strawberry.mutation(
    resolver=attestation_summary_certify,
    permission_classes=[can(Resource.CERTIFICATE, Action.WRITE), PersonalAccount],
    description="Certify the attestation summary as it stands (А #6): tabel records who, "
    "when and the SHA-256 of its data, audited, and answers the certified PDF, which prints "
    "them. The school's admin, signed in with their own login.",
)
attestation_certificate_field = strawberry.field(
    resolver=attestation_certificate,
    permission_classes=[can(Resource.CERTIFICATE, Action.READ)],
    description="The certificate of a printed statement, found by the checksum it prints, and "
    "whether the data today still gives that checksum. NOT_FOUND: tabel certified no such "
    "paper for a school of yours.",
)
