"""People, as the API shows them.

- `person`: the identity, personal data and family links behind every role.
- `people_writes`: entering people with their roles and parents, correcting them, linking
  families, appointing roles.
- `people_import`: a school's people from a CSV or XLSX file, a dry run first.
- `placements`: a student's placement in a class, with its dates.
- `placement_writes`: enrolling, moving and leaving students, a whole class in one call.
"""
