"""`other_roles`: every role but the admin's and the head's, which the admin appoints."""

import model as m
from plugins.appointed import accounts_appointed, compromises_appointed
from plugins.base import Condition

# The head appoints admins (Б.1 #5); the head is appointed by the municipality, outside the school.
NOT_THE_ADMINS = (m.Role.ADMIN.value, m.Role.HEAD.value)

other_roles = Condition(
    name="other_roles",
    in_words="roles other than the admin's and the head's",
    description="a grant of any role but the admin's and the head's; the accounts of people "
    "holding none of those roles anywhere",
    renderers={
        m.SchoolRole: lambda scope: m.SchoolRole.role.not_in(NOT_THE_ADMINS),
        m.Account: accounts_appointed(None, above=(m.Role.ADMIN, m.Role.HEAD)),
        m.Compromise: compromises_appointed(None, above=(m.Role.ADMIN, m.Role.HEAD)),
    },
)
