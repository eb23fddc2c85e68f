"""Tokens for the write API: made for an account, shown once, stored as their SHA-256, revoked
or expired at will."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from pitboard.officials.models import Token

PREFIX = "pb_"


class TokenError(Exception):
    """Why no token was made or revoked (nothing was written)."""


@dataclass(frozen=True)
class Made:
    token: str  # shown once
    id: int
    user: str
    expires: str | None


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def expiry(text: str | None, today: dt.date | None = None) -> dt.datetime | None:
    """``--expires``: a number of days (``90``, ``90d``) or a day (``2027-06-30``, the end of
    it, UTC); None for a token that does not expire."""
    if not text:
        return None
    today = today or timezone.now().date()
    given = text.strip().lower().removesuffix("d")
    if given.isdigit():
        if not 1 <= int(given) <= 3660:
            raise TokenError(f"--expires {text}: from 1 to 3660 days")
        day = today + dt.timedelta(days=int(given))
    else:
        try:
            day = dt.date.fromisoformat(text.strip())
        except ValueError:
            raise TokenError(
                f"--expires {text}: a number of days (90) or a day (YYYY-MM-DD)"
            ) from None
        if day < today:
            raise TokenError(f"--expires {text}: that day is past")
    return dt.datetime.combine(day, dt.time.max, tzinfo=dt.UTC)


def create(name: str, expires: str | None = None) -> Made:
    user = get_user_model().objects.filter(username=name).first()
    if user is None:
        raise TokenError(f"no account {name!r} (pitboard users add {name} --role …)")
    if not user.is_active:
        raise TokenError(f"account {name} is deactivated")
    until = expiry(expires)
    token = PREFIX + secrets.token_urlsafe(32)
    made = Token.objects.create(
        user=user, digest=_digest(token), prefix=token[:10], expires_at=until
    )
    return Made(token, made.pk, name, until.isoformat(timespec="seconds") if until else None)


def revoke(token_id: int) -> str:
    found = Token.objects.filter(pk=token_id).select_related("user").first()
    if found is None:
        raise TokenError(f"no token {token_id} (pitboard tokens list)")
    if found.revoked_at is None:
        found.revoked_at = timezone.now()
        found.save(update_fields=["revoked_at"])
    return str(found.user.username)


def token_list() -> list[dict[str, Any]]:
    def when(value: dt.datetime | None) -> str | None:
        return value.isoformat(timespec="seconds") if value else None

    return [
        {
            "id": t.pk,
            "user": t.user.username,
            "starts": t.prefix,
            "created": when(t.created_at),
            "expires": when(t.expires_at),
            "revoked": when(t.revoked_at),
            "last_used": when(t.last_used_at),
        }
        for t in Token.objects.select_related("user").order_by("pk")
    ]


def holder(token: str) -> Any | None:
    """The active account a token stands for, or None (unknown, revoked or expired)."""
    found = (
        Token.objects.filter(digest=_digest(token), revoked_at__isnull=True)
        .select_related("user")
        .first()
    )
    now = timezone.now()
    if found is None or not found.user.is_active:
        return None
    if found.expires_at is not None and found.expires_at < now:
        return None
    if found.last_used_at is None or now - found.last_used_at > dt.timedelta(minutes=1):
        Token.objects.filter(pk=found.pk).update(last_used_at=now)
    return found.user
