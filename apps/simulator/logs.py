"""The gateway log: what the simulator did, readable at ``/logs`` and ``/logs/download``."""

import sqlite3
from collections import deque

LEVELS = ("TRACE", "DEBUG", "INFO", "WARN", "ERROR")


class GatewayLog:
    def __init__(self, epoch_ms, size: int = 1000):
        self._epoch_ms = epoch_ms
        self.events: deque[dict] = deque(maxlen=size)

    def add(self, logger: str, message: str, level: str = "INFO") -> None:
        self.events.append(
            {
                "timestamp": self._epoch_ms(),
                "loggerName": logger,
                "level": level,
                "message": message,
                "mdc": {},
            }
        )

    def select(self, start: int | None, end: int | None, min_level: str, logger: str) -> list:
        floor = LEVELS.index(min_level) if min_level in LEVELS else 0
        return [
            event
            for event in reversed(self.events)
            if (start is None or event["timestamp"] >= start)
            and (end is None or event["timestamp"] <= end)
            and LEVELS.index(event["level"]) >= floor
            and logger.lower() in event["loggerName"].lower()
        ]

    def to_sqlite(self) -> bytes:
        """The ``.idb`` download: a SQLite file with a ``logging_event`` table."""
        db = sqlite3.connect(":memory:")
        db.execute(
            "CREATE TABLE logging_event (event_id INTEGER PRIMARY KEY, timestmp INTEGER, "
            "formatted_message TEXT, logger_name TEXT, level_string TEXT)"
        )
        db.executemany(
            "INSERT INTO logging_event (timestmp, formatted_message, logger_name, level_string) "
            "VALUES (?, ?, ?, ?)",
            [(e["timestamp"], e["message"], e["loggerName"], e["level"]) for e in self.events],
        )
        db.commit()
        data = db.serialize()
        db.close()
        return bytes(data)
