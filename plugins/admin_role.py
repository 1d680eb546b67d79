"""`admin_role`: the school's admin role, which the head appoints (Б.1 #5)."""

import model as m
from plugins.appointed import accounts_appointed, compromises_appointed
from plugins.base import Condition

admin_role = Condition(
    name="admin_role",
    in_words="the admin role",
    description="a grant of the school's admin role (администратор ОО); the accounts of its "
    "admins who are nowhere its head",
    renderers={
        m.SchoolRole: lambda scope: m.SchoolRole.role == m.Role.ADMIN.value,
        m.Account: accounts_appointed(m.Role.ADMIN, above=(m.Role.HEAD,)),
        m.Compromise: compromises_appointed(m.Role.ADMIN, above=(m.Role.HEAD,)),
    },
)
