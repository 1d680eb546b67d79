"""The root mutation: every write the API accepts."""

import strawberry

from schema import accounts


@strawberry.type
class Mutation:
    login = accounts.login_field
    logout = accounts.logout_field
    password_change = accounts.password_change_field
