"""Log lines: one time zone (UTC, ISO 8601) and, with TANU_LOG_FORMAT=json, one JSON object a
line."""

from __future__ import annotations

import json
import logging
import sys

from tanu.lib.logs import JsonFormatter, UtcFormatter, formatter_config


def record(message: str = "hello %s", *args: object) -> logging.LogRecord:
    entry = logging.LogRecord("tanu.x", logging.WARNING, __file__, 1, message, args, None)
    entry.created = 0.5
    return entry


def test_a_text_log_line_carries_its_time_in_utc_as_iso_8601() -> None:
    line = UtcFormatter(formatter_config("text")["format"]).format(record("hello %s", "там"))
    assert line == "1970-01-01T00:00:00.500Z WARNING tanu.x hello там"


def test_a_json_log_line_is_one_object_in_utc() -> None:
    line = JsonFormatter().format(record("hello %s", "там"))
    assert "\n" not in line
    assert json.loads(line) == {
        "time": "1970-01-01T00:00:00.500Z",
        "level": "WARNING",
        "logger": "tanu.x",
        "message": "hello там",
    }


def test_a_json_log_line_keeps_the_exception_and_the_status_on_the_same_line() -> None:
    entry = record("Internal Server Error: %s", "/cases/")
    try:
        raise ValueError("boom")
    except ValueError:
        entry.exc_info = sys.exc_info()
    entry.status_code = 500
    line = JsonFormatter().format(entry)
    assert "\n" not in line
    parsed = json.loads(line)
    assert parsed["status"] == 500
    assert "ValueError: boom" in parsed["exception"]


def test_the_log_format_setting_picks_the_formatter() -> None:
    assert formatter_config("json") == {"()": "tanu.lib.logs.JsonFormatter"}
    assert formatter_config("text")["()"] == "tanu.lib.logs.UtcFormatter"
