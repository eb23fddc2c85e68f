"""Accounts and their roles: adding, listing, and what a role allows."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from pitboard.officials.models import Role
from pitboard.records.models import Series


class RoleError(Exception):
    """Why an account or role was not added (nothing was written)."""


@dataclass(frozen=True)
class Added:
    name: str
    role: str
    series: list[str]
    password: str | None  # a new account's, shown once; None for an account that existed


def add_user(name: str, role: str, series: list[str] | None = None, email: str = "") -> Added:
    """Give *name* (a new account, or one that exists) *role*; an official needs series and
    only an official has them. A new account gets a random password, shown once."""
    name = name.strip()
    if not name or len(name) > 150 or any(c.isspace() for c in name):
        raise RoleError(f"{name!r} is not an account name (1 to 150 characters, no spaces)")
    if role not in Role.Kind.values:
        raise RoleError(f"no role {role!r} ({', '.join(Role.Kind.values)})")
    slugs = sorted({s.strip() for s in series or [] if s.strip()})
    if role == Role.Kind.OFFICIAL and not slugs:
        raise RoleError("an official needs --series S[,S…]: the series whose races they enter")
    if role != Role.Kind.OFFICIAL and slugs:
        raise RoleError(f"only an official has series (an {role} may change every series)")
    found = {s.slug: s for s in Series.objects.filter(slug__in=slugs)}
    missing = [s for s in slugs if s not in found]
    if missing:
        there = ", ".join(Series.objects.order_by("slug").values_list("slug", flat=True))
        raise RoleError(f"no series {', '.join(missing)} (there are: {there})")
    users = get_user_model()
    with transaction.atomic():
        user = users.objects.filter(username=name).first()
        password = None
        if user is None:
            password = secrets.token_urlsafe(12)
            user = users.objects.create_user(username=name, email=email, password=password)
        user.is_staff = True  # the admin site is where roles are used
        user.is_superuser = user.is_superuser or role == Role.Kind.ADMIN
        user.save()
        granted, _ = Role.objects.get_or_create(user=user, kind=role)
        granted.series.add(*found.values())
        held = sorted(granted.series.values_list("slug", flat=True))
    return Added(name, role, held, password)


def user_list() -> list[dict[str, Any]]:
    """Every account with its roles (an official's with their series), by name."""
    rows = []
    for user in get_user_model().objects.order_by("username").prefetch_related("roles__series"):
        roles = [
            r.kind
            + (
                f" of {', '.join(sorted(s.slug for s in r.series.all()))}"
                if r.kind == Role.Kind.OFFICIAL
                else ""
            )
            for r in sorted(user.roles.all(), key=lambda r: r.kind)
        ]
        rows.append(
            {
                "name": user.username,
                "roles": roles,
                "active": user.is_active,
                "last_login": user.last_login.isoformat(timespec="seconds")
                if user.last_login
                else None,
            }
        )
    return rows


def may_enter(user: Any, series: str) -> bool:
    """Whether *user* may enter and correct races, results and penalties of *series*: an admin
    any series, an official their own."""
    if is_admin(user):
        return True
    if not user.is_authenticated or not user.is_active:
        return False
    return Role.objects.filter(user=user, kind=Role.Kind.OFFICIAL, series__slug=series).exists()


def is_admin(user: Any) -> bool:
    """An active account with the admin role (or Django's superuser flag)."""
    if not user.is_authenticated or not user.is_active:
        return False
    return bool(user.is_superuser) or Role.objects.filter(user=user, kind=Role.Kind.ADMIN).exists()


def entry_series(user: Any) -> list[tuple[str, str]]:
    """The series (slug, name) whose races *user* may enter, by name."""
    if not user.is_authenticated or not user.is_active:
        return []
    found = Series.objects.order_by("name")
    if not is_admin(user):
        found = found.filter(
            pk__in=Role.objects.filter(user=user, kind=Role.Kind.OFFICIAL).values("series")
        )
    return list(found.values_list("slug", "name"))
