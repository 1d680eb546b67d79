"""The bundle's README.txt, in Russian and in English: what the archive is of, what each file
is and how to check that none changed. Written from the archive's scope only (no clock)."""

from resolvers.exports.archive.pages import moment
from resolvers.exports.archive.scope import Scope
from resolvers.people.names import day

NAME = "README.txt"

_RU = """АРХИВ ЭЛЕКТРОННОГО ЖУРНАЛА
{school}
Период: {period} ({start} – {end}). Данные по состоянию на {as_of} (UTC): время последнего
изменения, записанного в архив (иначе — конец последнего дня периода).
Сформирован учётной записью «{who}»: архив содержит то, что ей разрешено читать.

Архив читается без tabel: это обычный ZIP с файлами CSV (UTF-8, через запятую), XLSX и PDF.

Состав
  tables/lessons.csv, .xlsx        уроки: дата, урок по счёту, класс и группа, предмет,
                                   учитель и замена, тема, материал, кто и когда внёс
  tables/grades.csv, .xlsx         отметки: ученик, урок, отметка, вид работы, вес, в срок ли,
                                   кто и когда внёс и изменил
  tables/attendance.csv, .xlsx     посещаемость: пропуски (по уважительной причине, без неё,
                                   болезнь) и опоздания по урокам
  tables/homework.csv, .xlsx       домашние задания по урокам
  tables/final_grades.csv, .xlsx   четвертные, полугодовые и годовые отметки
  tables/grade_changes.csv, .xlsx  журнал изменений отметок: было, стало, кто, когда, причина
  audit/audit_trail.jsonl          журнал аудита школы за дни периода: по объекту JSON в
                                   строке — кто, когда, какая запись, состояние до и после
  class_journals/<класс>.pdf       классный журнал за период, как бумажный: по предмету
                                   (группе) развороты «ученики × даты» с отметками,
                                   пропусками и итоговыми отметками и страницы уроков с
                                   темами и заданиями (только у сотрудников, печатающих журнал)
  summary_statements/<период>/<класс>.pdf
                                   сводные ведомости учащихся класса (ученик на странице)
  attestation/<периоды>.pdf, .xlsx сводная ведомость итогов аттестации; PDF заверен: кто
                                   сформировал, когда (время архива) и контрольная сумма
                                   данных, которую проверяет запрос attestationCertificate
                                   для ведомости, заверенной в tabel
  manifest.csv                     список файлов: имя, размер в байтах, SHA-256, строк
  SHA256SUMS                       контрольные суммы всех файлов

Проверка целостности (Linux, macOS: shasum -a 256 -c SHA256SUMS): распакуйте архив и в его
папке выполните
    sha256sum -c SHA256SUMS
Каждый файл должен получить «ЦЕЛ» / «OK». Одни и те же данные дают побайтно тот же архив.
"""

_EN = """ELECTRONIC JOURNAL ARCHIVE
{school}
Period: {period} ({start} – {end}). The data as of {as_of} (UTC): the newest change the
archive records (else the end of the period's last day).
Made by the account «{who}»: the archive holds what that account may read.

No tabel is needed to read it: a plain ZIP of CSV (UTF-8, comma-separated), XLSX and PDF files.

Contents
  tables/lessons.csv, .xlsx        lessons: date, bell, class and group, subject, teacher and
                                   substitute, topic, material, who entered them and when
  tables/grades.csv, .xlsx         grades: student, lesson, mark, work type, weight, on time,
                                   who entered and changed them and when
  tables/attendance.csv, .xlsx     attendance: absences (valid, unexcused, ill) and lates
  tables/homework.csv, .xlsx       homework, per lesson
  tables/final_grades.csv, .xlsx   term, half-year and year grades
  tables/grade_changes.csv, .xlsx  the grade change log: before, after, who, when, why
  audit/audit_trail.jsonl          the school's audit trail on the period's days: a JSON object
                                   a line — who, when, which record, its state before and after
  class_journals/<class>.pdf       the class journal of the period as the paper one: per
                                   subject (group) spreads of students × dates with marks,
                                   absences and final grades, and the lessons' pages with
                                   topics and homework (only for the staff who print it)
  summary_statements/<period>/<class>.pdf
                                   the class's summary statements, a student a page
  attestation/<periods>.pdf, .xlsx the attestation summary; the PDF is certified: who made it,
                                   when (the archive's moment) and its data's checksum, which
                                   the attestationCertificate query checks for a summary
                                   certified in tabel
  manifest.csv                     every file: name, size in bytes, SHA-256, rows
  SHA256SUMS                       the checksums of every file

To check that no file changed (macOS: shasum -a 256 -c SHA256SUMS): unzip the archive and, in
its folder, run
    sha256sum -c SHA256SUMS
Every file must say OK. The same data gives the same archive, byte for byte.
"""


def readme(scope: Scope) -> bytes:
    values = {
        "school": scope.school.name,
        "period": scope.period.name,
        "start": day(scope.days[0]),
        "end": day(scope.days[1]),
        "as_of": moment(scope.as_of),
        "who": scope.ctx.require_principal().name,
    }
    text = _RU.format(**values) + "\n" + "-" * 72 + "\n\n" + _EN.format(**values)
    return text.replace("\n", "\r\n").encode()
