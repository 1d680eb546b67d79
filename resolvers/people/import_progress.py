"""How an import tells its progress, the same way to `tabel import people`'s bar and to a job
that `peopleImportJob` reports: each phase (read the file, check it against the school, write
it) in rows done of rows in the phase. Reading counts the file's rows as it parses them;
checking is a few statements for the whole file, so it goes from none to all; writing is six
bulk steps (people, roles, families, classes, consents, the audit trail), each a sixth of the
rows."""

from typing import Protocol

from model import ImportPhase

PHASES = tuple(ImportPhase)
READ_EVERY = 250  # rows between two reports while a file is read


class Progress(Protocol):
    def __call__(self, phase: ImportPhase, done: int, total: int) -> None: ...


def unheard(phase: ImportPhase, done: int, total: int) -> None:
    """Progress nobody follows (the synchronous mutations)."""
