"""Bearer secrets, made and hashed one way for every kind of token Kent issues (agency API tokens,
smart-city device tokens).

A secret is a prefix that says what it is for ("kent_", "kd_") and 256 random bits. Only its
SHA-256 is stored: the secret is random and long, so a fast hash is safe, lets a lookup be one
indexed equality, and lets the ingest worker check thousands of readings a second (a password
hash would not)."""

import hashlib
import secrets
from typing import Any

from django.utils import timezone

RANDOM_BYTES = 32


def new_secret(prefix: str) -> str:
    """A new secret to show once: `prefix` and a URL-safe random part."""
    return prefix + secrets.token_urlsafe(RANDOM_BYTES)


def hash_token(token: str) -> str:
    """The stored form of a secret (hex SHA-256)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def revoke(token: Any) -> None:
    """Revoke a stored token (agency or personal) once; a revoked one stays revoked at its time."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
