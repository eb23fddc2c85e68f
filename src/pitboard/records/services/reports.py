"""Readers' error reports: checked, then stored for the editors' queue."""

from __future__ import annotations

from pitboard.records.models import ErrorReport

MAX_MESSAGE = 5000


class ReportError(ValueError):
    """A report that cannot be stored, with the field at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def _clean(text: str) -> str:
    """Trimmed, without NUL characters (no database keeps them in text)."""
    return text.replace("\x00", "").strip()


def file_report(page: str, message: str, contact: str = "") -> ErrorReport:
    page, message, contact = _clean(page), _clean(message), _clean(contact)
    if not page.startswith("/") or len(page) > 500:
        raise ReportError("page", "say which page is wrong (its path on this site)")
    if not message:
        raise ReportError("message", "say what is wrong on the page")
    if len(message) > MAX_MESSAGE:
        raise ReportError("message", f"keep the report under {MAX_MESSAGE} characters")
    if len(contact) > 200:
        raise ReportError("contact", "keep the contact under 200 characters")
    return ErrorReport.objects.create(page=page, message=message, contact=contact)
