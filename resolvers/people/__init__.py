"""People: reading and writing who they are and how they are related.

- `person`: their roles, guardians and children, and the people list of a school.
"""
