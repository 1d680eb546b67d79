"""Settings from the environment (`TABEL_…`); production defaults unless `--demo`."""

from pathlib import Path
from typing import Literal

from pydantic_settings import BaseSettings, SettingsConfigDict

DEMO_DATABASE = Path("var") / "demo.sqlite3"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TABEL_")

    database_url: str = f"sqlite:///{DEMO_DATABASE}"
    # A streaming replica of the PostgreSQL database that read-only requests read when it
    # holds what their caller wrote and lags at most `replica_max_lag_seconds` (server/replica.py).
    replica_url: str | None = None
    replica_max_lag_seconds: float = 2.0
    development: bool = False  # GraphiQL with example queries
    # Serve a database holding usable demo sign-ins without --demo (a test bench, on purpose)
    allow_demo_credentials: bool = False
    introspection: bool = True
    field_suggestions: bool = False
    max_query_depth: int = 12
    max_aliases: int = 30
    max_tokens: int = 4000
    # The most one operation may cost (schema/cost.py), per caller: anonymous (raised to fit
    # GraphiQL's introspection query twice when anonymous introspection is on), personal
    # accounts, inspectors' and integrators' API tokens. QUERY_TOO_COMPLEX past it.
    cost_anonymous: int = 1_000
    cost_personal: int = 1_000_000
    cost_inspector: int = 2_000_000
    cost_integrator: int = 1_000_000
    max_body_bytes: int = 1_048_576  # a larger request body is refused (413) unread
    token_ttl_hours: int = 12
    # A grade or attendance mark is told this long after it was last changed, so that a
    # correction within it is told once, as it stands (resolvers/notifications/notify.py).
    notification_settle_seconds: int = 180
    # API tokens' requests per window (resolvers/accounts/api_rate.py), by kind: RATE_LIMITED
    # past them.
    api_rate_window_seconds: int = 60
    api_rate_inspector: int = 120
    api_rate_integrator: int = 300
    host: str = "127.0.0.1"
    port: int = 8000
    pool_size: int = 10  # connections per worker process
    # Serving and load shedding (server/serving.py): workers (None: one per CPU; the demo one),
    # how long a request waits for a free connection before it is answered UNAVAILABLE,
    # and the Retry-After that answer suggests.
    workers: int | None = None
    pool_timeout_seconds: float = 1.5
    # GraphQL requests one worker serves at once, and of them one caller's (a token, or an
    # address without one); one more is answered UNAVAILABLE, or RATE_LIMITED for a caller, at
    # once (server/admission.py). 0: no limit (the per-caller one is off unless set: clients
    # behind one school network share an address, and a dashboard asks several things at once).
    max_in_flight: int = 30
    # Subscriptions over WebSocket (server/live_socket.py): seconds a connection has to sign in
    # with `connection_init`; subscriptions at once per connection and per account (0: no
    # limit); seconds between a connection's checks of its token besides those that a
    # revocation anywhere triggers.
    live_connection_init_seconds: float = 10
    live_subscriptions_per_connection: int = 20
    live_subscriptions_per_caller: int = 50
    live_check_seconds: float = 30
    max_in_flight_per_client: int = 0
    # Each caller's requests per second and burst, per worker (server/admission.py): a token
    # seen valid lately, else the address. 0: no limit.
    caller_rate_per_second: float = 50.0
    caller_burst: int = 100
    # … and a caller known only by its address (no valid token: it can sign in, little more),
    # per worker; a school's network behind one address signs in a few pupils a second at most.
    address_rate_per_second: float = 10.0
    address_burst: int = 10
    # … and the bytes of request bodies each caller sends a second, with its burst (a few of
    # the largest bodies at once; an everyday request is a few kilobytes). 0: no limit.
    caller_bytes_per_second: int = 1_048_576
    caller_bytes_burst: int = 4_194_304
    retry_after_seconds: int = 2
    # Wall-clock time for one operation, and PostgreSQL's statement_timeout: UNAVAILABLE past them.
    request_deadline_seconds: float = 10.0
    statement_timeout_seconds: float = 5.0
    # Slow or silent clients are disconnected: request headers and body must arrive in time.
    header_timeout_seconds: float = 10.0
    body_timeout_seconds: float = 20.0
    shutdown_timeout_seconds: int = 5  # SIGTERM: requests in flight get this long to finish
    # The server plans lessons from the timetable at start and then every so many hours
    # (server/lesson_scheduler.py); 0: never (then run `tabel lessons plan` daily yourself).
    lesson_planning_hours: float = 24.0
    anonymous_introspection: bool = False  # the schema for callers who did not sign in (demo: on)
    # Reports and exports as jobs (server/worker.py): the worker runs in every `tabel serve`
    # process unless off (then run `tabel worker`); jobs it makes at once; how often it looks
    # for queued jobs (a start in its own process wakes it at once); a job's deadline; its
    # lease, renewed while it runs (a dead worker's job is taken again once it runs out); how
    # many days a finished file is kept before it is deleted.
    report_worker: bool = True
    report_jobs_at_once: int = 1
    report_poll_seconds: float = 2.0
    report_deadline_seconds: float = 600.0
    report_lease_seconds: float = 60.0
    report_keep_days: float = 7.0
    # Notifications (server/notification_worker.py): the delivery worker runs in every `tabel
    # serve` process unless off (then `tabel worker` sends them); how often it looks for due
    # ones (a commit in its own process that queued one wakes it at once); how many it takes at
    # a time and sends at once; its lease on them (renewed while it sends: a dead worker's are
    # sent again, under the same idempotency key, once it runs out); attempts before it gives
    # up, and the backoff between them (doubling, jittered, capped).
    notification_worker: bool = True
    notification_poll_seconds: float = 2.0
    notification_batch: int = 50
    notification_at_once: int = 10
    notification_lease_seconds: float = 60.0
    notification_max_attempts: int = 8
    notification_backoff_seconds: float = 30.0
    notification_backoff_cap_seconds: float = 3600.0
    # The e-mail channel (plugins/channels/smtp.py): the SMTP server; `tls` (implicit, usually
    # port 465), `starttls` (587) or `none`; its login; the From address; a private CA file the
    # server's certificate is signed by (else the system's). No host: e-mail is given up.
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_security: Literal["tls", "starttls", "none"] = "starttls"
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_from: str | None = None
    smtp_timeout_seconds: float = 20.0
    smtp_ca_file: str | None = None
    # The SMS channel (plugins/channels/sms.py): the gateway's URL (a POST of {to, text}) and
    # its bearer token. No URL: SMS is given up.
    sms_url: str | None = None
    sms_token: str | None = None
    sms_timeout_seconds: float = 10.0
