"""People, the roles they hold per school, guardianship and personal-data consent (R-PD-1)."""

import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from model.base import Base, Id, str_enum, utc_now


class Sex(enum.StrEnum):
    FEMALE = "female"
    MALE = "male"


class Role(enum.StrEnum):
    """A role a person holds in one school; `class_teacher` follows from the class itself."""

    ADMIN = "admin"
    HEAD = "head"
    DEPUTY = "deputy"
    TEACHER = "teacher"
    PSYCHOLOGIST = "psychologist"
    STUDENT = "student"
    PARENT = "parent"


class Kinship(enum.StrEnum):
    MOTHER = "mother"
    FATHER = "father"
    GUARDIAN = "guardian"


class Person(Base):
    __tablename__ = "person"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("region.id"), index=True)
    last_name: Mapped[str] = mapped_column(String(100))
    first_name: Mapped[str] = mapped_column(String(100))
    middle_name: Mapped[str | None] = mapped_column(String(100))
    birth_date: Mapped[date | None]
    sex: Mapped[Sex | None] = mapped_column(str_enum(Sex, "sex"))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(32))
    # A parent who opted out of the electronic service: given the summary statement on paper
    # (§4.14, R-SUMMARY-1).
    paper_statements: Mapped[bool] = mapped_column(server_default=false())
    address: Mapped[str | None] = mapped_column(String(300))
    # An identity document, as the school keeps it: its kind, series and number («паспорт 4510
    # 123456», «свидетельство о рождении IV-МЮ 123456»). Personal data (R-PD-1).
    document: Mapped[str | None] = mapped_column(String(100))
    # A work phone or e-mail the school publishes for a member of staff: not personal data,
    # shown to students and parents (R-PD-1).
    work_contact: Mapped[str | None] = mapped_column(String(200))


class SchoolRole(Base):
    __tablename__ = "school_role"
    __table_args__ = (UniqueConstraint("person_id", "school_id", "role"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    # A built-in `Role` value, or a role from a plugin's policies (see `tabel policy check`).
    role: Mapped[str] = mapped_column(String(32))


class Guardianship(Base):
    __tablename__ = "guardianship"
    __table_args__ = (
        UniqueConstraint("parent_id", "child_id"),
        CheckConstraint("parent_id <> child_id", name="not_own_parent"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    parent_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    child_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    kinship: Mapped[Kinship] = mapped_column(str_enum(Kinship, "kinship"))


class PersonCode(Base):
    """The school's own code of a person (a personnel or student file number, an id from the
    system it kept before): how a list of people imported again finds whom it entered."""

    __tablename__ = "person_code"
    __table_args__ = (
        UniqueConstraint("school_id", "code"),
        UniqueConstraint("school_id", "person_id"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    code: Mapped[str] = mapped_column(String(64))


class Consent(Base):
    """Consent to process a person's data, collected before the data is entered (152-FZ)."""

    __tablename__ = "consent"
    __table_args__ = (
        CheckConstraint(
            "withdrawn_at IS NULL OR withdrawn_at >= given_at", name="withdrawn_after_given"
        ),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    # A parent consents for a minor; adults consent for themselves.
    given_by_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    given_at: Mapped[datetime] = mapped_column(default=utc_now)
    document: Mapped[str] = mapped_column(String(200))
    withdrawn_at: Mapped[datetime | None]
    withdrawal_reason: Mapped[str | None] = mapped_column(String(500))


class MunicipalityRole(Base):
    """A role held over a whole municipality: its operator (оператор муниципалитета) opens
    its schools and holds `operator` in each of them (`policies/principal.py`)."""

    __tablename__ = "municipality_role"
    __table_args__ = (UniqueConstraint("person_id", "municipality_id", "role"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"), index=True)
    role: Mapped[str] = mapped_column(String(32))
