"""Accounts: who may call the API, and how hard.

- `sign_in`: signing in and out, changing passwords, a bearer token turned into a principal.
- `passwords`: Argon2id hashing, off the event loop.
- `sign_in_throttle`: failed sign-ins slow down whoever repeats them.
- `api_tokens`: issuing and revoking inspectors' and integrators' tokens, the query log.
- `api_rate`: each API token's requests per window.
- `account_writes`: issuing logins and temporary passwords, resetting, blocking, unblocking.
- `login_slips`: the printable slips of the logins issued, a PDF.
- `logins`: logins made from names, readable temporary passwords.
- `revocation`: sessions and API tokens revoked when an account is blocked or its holder leaves.
"""
