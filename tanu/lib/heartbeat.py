"""The task worker's heartbeat: a file in the data directory whose time says the worker lives.

``tanu worker`` touches ``<data dir>/worker-heartbeat`` at each turn of its loop (at most every
:data:`INTERVAL` seconds) and before each task; ``/healthz`` reports how old the touch is. A task
that runs long leaves the heartbeat old while it runs: ``/healthz`` then also counts the running
tasks, and the age of the oldest waiting task tells a busy worker from a dead one. The file
holds nothing but the time of the last beat. The web server and the worker share the data
directory (README, Production), so no table and no cache are needed for it.
"""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings

#: Seconds between two beats.
INTERVAL = 15.0
#: A heartbeat older than this many seconds means no worker runs.
STALE_AFTER = 120.0


def heartbeat_file() -> Path:
    return Path(settings.DATA_DIR) / "worker-heartbeat"


def beat(path: Path | None = None) -> None:
    """Write the time now into the heartbeat file (created readable by its owner only)."""
    target = path or heartbeat_file()
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, (stamp + "\n").encode("ascii"))
    finally:
        os.close(fd)


def age_seconds(path: Path | None = None) -> float | None:
    """Seconds since the last beat, or None when no worker ever beat here."""
    try:
        modified = (path or heartbeat_file()).stat().st_mtime
    except OSError:
        return None
    return max(0.0, time.time() - modified)
