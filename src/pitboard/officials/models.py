"""Who may change what: a role per account — an official of one or more series (races,
results and penalties of those series only), an editor (career facts and news) or an admin."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Role(models.Model):
    class Kind(models.TextChoices):
        OFFICIAL = "official", "Official"
        EDITOR = "editor", "Editor"
        ADMIN = "admin", "Admin"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="roles", on_delete=models.CASCADE
    )
    kind = models.CharField(max_length=8, choices=Kind.choices)
    series = models.ManyToManyField(
        "records.Series", blank=True, help_text="an official's series (none for other roles)"
    )
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="role_unique_kind")]

    def __str__(self) -> str:
        return f"{self.user} ({self.kind})"


class Token(models.Model):
    """A key for the write API (``Authorization: Bearer …``), acting as its account. Only its
    SHA-256 is stored: the token itself is shown once, when it is made."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="api_tokens", on_delete=models.CASCADE
    )
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=12, help_text="its first characters, to tell it apart")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.prefix}… of {self.user}"
