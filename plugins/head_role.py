"""`head_role`: the school's head role, which the school's founder appoints — the
municipality, through its operator — never anyone inside the school."""

import model as m
from plugins.appointed import accounts_appointed, compromises_appointed
from plugins.base import Condition

head_role = Condition(
    name="head_role",
    in_words="the head's role",
    description="a grant of the school's head role (руководитель ОО); the accounts of its heads",
    renderers={
        m.SchoolRole: lambda scope: m.SchoolRole.role == m.Role.HEAD.value,
        m.Account: accounts_appointed(m.Role.HEAD, above=()),
        m.Compromise: compromises_appointed(m.Role.HEAD, above=()),
    },
)
