"""People: reading and writing who they are and how they are related.

- `person`: their roles, guardians and children, and the people list of a school.
- `people_writes`: entering people with roles and parents, and correcting who they are.
- `role_writes`: appointing roles in a school, and taking them away.
- `family_writes`: linking students to their parents and guardians, and undoing it.
- `placements`: enrolling, moving and leaving classes, with dates, one class a year at a time.
- `people_file`: a school's list of people in a CSV or XLSX file, read and checked.
- `people_import`: importing it, all or nothing, or a dry run; `import_checks` what it reads
  of the school first, and the rows it cannot take.
- `names`: people, classes and dates as a refusal names them.
"""
