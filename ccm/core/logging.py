"""Structured logs: one JSON object per line, with the request id (``X-Request-ID``) of the request that
logged it, for a log collector. Chosen with ``LOG_FORMAT=json``; plain text otherwise."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        from ccm.core.audit import current_request_id  # here: logging is configured before the apps load

        request_id = current_request_id()
        if request_id:
            entry["request_id"] = request_id
        status = getattr(record, "status_code", None)
        if status is not None:
            entry["status"] = status
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)
