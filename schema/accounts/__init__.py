"""Accounts, as the API shows them.

- `sign_in`: signing in and out, changing the password, who is calling, failed sign-ins.
- `api_tokens`: the read-only tokens of inspectors and integrators.
- `account_writes`: logins and temporary passwords issued, reset, blocked and unblocked.
"""
