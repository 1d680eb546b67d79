"""Logging for the server processes: one line per event, user input escaped in every line
(uvicorn's access log writes the decoded path, where `%0A` would start a forged line)."""

import logging
from typing import Any

from schema.errors import printable

FORMAT = "%(levelname)s %(name)s: %(message)s"


class EscapingFilter(logging.Filter):
    """Escapes control characters in a record's arguments (where user input arrives);
    the message templates are ours, and tracebacks keep their lines."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(_escaped(arg) for arg in record.args)
        elif isinstance(record.args, dict):
            record.args = {key: _escaped(value) for key, value in record.args.items()}
        return True


def _escaped(value: object) -> object:
    return printable(value) if isinstance(value, str | bytes) else value


def log_config(level: str = "INFO") -> dict[str, Any]:
    """uvicorn's `log_config`, applied in every worker process it starts."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"escaping": {"()": EscapingFilter}},
        "formatters": {"plain": {"format": FORMAT}},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "formatter": "plain",
                "filters": ["escaping"],
                "stream": "ext://sys.stderr",
            }
        },
        "root": {"handlers": ["stderr"], "level": level},
        "loggers": {
            "uvicorn": {"handlers": [], "propagate": True},
            "uvicorn.error": {"handlers": [], "propagate": True},
            "uvicorn.access": {"handlers": [], "propagate": True},
            "casbin": {"level": "WARNING"},  # it logs its model at every load
        },
    }
