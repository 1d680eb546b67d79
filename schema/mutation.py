"""The root mutation: every write the API accepts."""

import strawberry

from schema import accounts, api_tokens


@strawberry.type
class Mutation:
    login = accounts.login_field
    logout = accounts.logout_field
    password_change = accounts.password_change_field

    api_token_issue = api_tokens.api_token_issue_field
    api_token_revoke = api_tokens.api_token_revoke_field
