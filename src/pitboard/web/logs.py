"""Log formats of the server's error log (stderr)."""

from __future__ import annotations

import logging


class WithoutTraceback(logging.Formatter):
    """The message alone: for refusals that are the client's doing (a forged Host header), where
    a traceback per request would bury the server errors."""

    def format(self, record: logging.LogRecord) -> str:
        return super().format(
            logging.makeLogRecord({**record.__dict__, "exc_info": None, "exc_text": None})
        )
