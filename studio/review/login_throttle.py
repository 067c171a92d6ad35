"""Login throttling: after too many wrong passwords for a name, refuse that name for a while.

The pause starts at `login_lockout_seconds` and doubles with each further lock-out (capped at an hour), so
guessing is slow while a user who mistyped a few times waits at most a minute. During a pause even the right
password is refused. State is per process (one server); a restart clears it.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from functools import cache

MAX_PAUSE_SECONDS = 3600.0


@dataclass
class _Record:
    failures: int = 0
    lockouts: int = 0
    paused_until: float = 0.0


class LoginThrottle:
    def __init__(self, max_failures: int, first_pause: float, clock=time.monotonic):
        self.max_failures = max_failures
        self.first_pause = first_pause
        self.clock = clock
        self._records: dict[str, _Record] = {}
        self._lock = threading.Lock()

    def allowed(self, name: str) -> bool:
        with self._lock:
            record = self._records.get(name.casefold())
            return record is None or self.clock() >= record.paused_until

    def seconds_left(self, name: str) -> float:
        with self._lock:
            record = self._records.get(name.casefold())
            return max(0.0, record.paused_until - self.clock()) if record else 0.0

    def record(self, name: str, ok: bool) -> None:
        with self._lock:
            key = name.casefold()
            if ok:
                self._records.pop(key, None)
                return
            record = self._records.setdefault(key, _Record())
            record.failures += 1
            if record.failures >= self.max_failures:
                pause = min(self.first_pause * 2 ** record.lockouts, MAX_PAUSE_SECONDS)
                record.paused_until = self.clock() + pause
                record.lockouts += 1
                record.failures = 0


@cache
def throttle() -> LoginThrottle:
    from studio.config import get_settings

    settings = get_settings()
    return LoginThrottle(settings.login_max_failures, settings.login_lockout_seconds)
