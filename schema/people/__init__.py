"""People, as the API shows them.

- `person`: the identity, personal data and family links behind every role.
"""
