"""Log lines in one time zone and one format (``LOGGING`` in tanu.settings).

Every time is UTC in ISO 8601 (``2026-12-04T18:00:00.123Z``), whatever ``TANU_TIME_ZONE`` says:
lines from the web server, the worker and cron sort and compare as they are. With
``TANU_LOG_FORMAT=json`` each record is one JSON object on one line (:class:`JsonFormatter`), for a
log collector; otherwise a line of text (:class:`UtcFormatter`).

Logs never carry personal data: the formatters write the message and the exception, never the
request, its body or its query string.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

FORMATS = ("text", "json")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"


def utc_time(created: float) -> str:
    """A record's time as ISO 8601 in UTC, to the millisecond, with a ``Z``."""
    stamp = datetime.fromtimestamp(created, UTC).isoformat(timespec="milliseconds")
    return stamp.removesuffix("+00:00") + "Z"


class UtcFormatter(logging.Formatter):
    """The text format, with the time in UTC as ISO 8601."""

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:  # noqa: N802
        return utc_time(record.created)


class JsonFormatter(logging.Formatter):
    """One JSON object a line: ``time``, ``level``, ``logger``, ``message`` and, when there is
    one, ``exception`` (the traceback as text) and the HTTP ``status`` of a request log."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": utc_time(record.created),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        status = getattr(record, "status_code", None)
        if isinstance(status, int):
            line["status"] = status
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            line["exception"] = record.exc_text
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return json.dumps(line, ensure_ascii=False, default=str)


def formatter_config(log_format: str) -> dict[str, Any]:
    """The ``formatters`` entry of ``LOGGING`` for ``TANU_LOG_FORMAT`` (``text`` or ``json``)."""
    if log_format == "json":
        return {"()": "tanu.lib.logs.JsonFormatter"}
    return {"()": "tanu.lib.logs.UtcFormatter", "format": TEXT_FORMAT}
