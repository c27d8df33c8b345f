"""Personal access tokens and HTTP Basic: who a desktop client (QGIS) is, for OGC API writes.

A personal token is sent as `Authorization: Bearer kpat_…`; agency tokens use the same header with
their own prefix (`agency_access.TOKEN_PREFIX`), so the prefix alone says which kind to look up.
HTTP Basic (username and password against Django's auth) is the fallback QGIS offers; it carries
the password on every request, so it is refused over plain HTTP unless DEBUG is on. Session
cookies are never accepted here: the OGC views are CSRF-exempt, and only a header the browser
does not send by itself may authorise a write."""

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate as django_authenticate
from django.http import HttpRequest
from django.utils import timezone

from geo.errors import NotAuthenticated
from geo.models import UserToken

from .tokens import hash_token, new_secret, revoke  # noqa: F401 - revoke: callers import it from here

TOKEN_PREFIX = "kpat_"
PREFIX_LENGTH = 12
TOUCH_EVERY = timedelta(minutes=1)  # last_used_at is written at most this often per token
CHALLENGE = 'Bearer realm="Kent", Basic realm="Kent", charset="UTF-8"'


@dataclass(frozen=True)
class Credentials:
    """The person behind a request, and the personal token it carried (None with HTTP Basic)."""

    user: Any
    token: UserToken | None

    def note(self) -> str:
        """How this request was authorised, for the history row's comment."""
        how = f"anahtar #{self.token.pk} {self.token.prefix}…" if self.token else "HTTP Basic"
        return f"OGC API ({how})"


def issue(user: Any, label: str = "", expires_at: datetime | None = None) -> tuple[UserToken, str]:
    """A new token of `user`; the secret is returned once and never stored."""
    secret = new_secret(TOKEN_PREFIX)
    token = UserToken.objects.create(user=user, label=label[:100], prefix=secret[:PREFIX_LENGTH],
                                     token_hash=hash_token(secret), expires_at=expires_at)
    return token, secret


def is_personal(secret: str | None) -> bool:
    return secret is not None and secret.startswith(TOKEN_PREFIX)


def sends_credentials(request: HttpRequest) -> bool:
    """Whether the request carries a personal token or HTTP Basic (not an agency token)."""
    auth = request.META.get("HTTP_AUTHORIZATION", "")
    return auth[:6].lower() == "basic " or (auth[:7].lower() == "bearer " and is_personal(auth[7:].strip()))


def authenticate(request: HttpRequest) -> Credentials | None:
    """The caller's credentials (cached on the request), None when none were sent; a bad token or
    password, an inactive user, or Basic over plain HTTP is a 401."""
    if hasattr(request, "_kent_credentials"):
        return request._kent_credentials  # type: ignore[attr-defined]
    auth = request.META.get("HTTP_AUTHORIZATION", "")
    result: Credentials | None = None
    if auth[:7].lower() == "bearer " and is_personal(auth[7:].strip()):
        result = _by_token(auth[7:].strip())
    elif auth[:6].lower() == "basic ":
        result = _by_password(request, auth[6:].strip())
    request._kent_credentials = result  # type: ignore[attr-defined]
    return result


def _by_token(secret: str) -> Credentials:
    refused = NotAuthenticated("Kişisel erişim anahtarı geçersiz, iptal edilmiş ya da süresi dolmuş. "
                               "(Invalid, revoked or expired personal token.)")
    if len(secret) > 200:
        raise refused
    token = UserToken.objects.select_related("user").filter(token_hash=hash_token(secret)).first()
    if token is None or not token.usable or not token.user.is_active:
        raise refused
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > TOUCH_EVERY:
        UserToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return Credentials(token.user, token)


def _by_password(request: HttpRequest, encoded: str) -> Credentials:
    if not (request.is_secure() or settings.DEBUG):
        raise NotAuthenticated("HTTP Basic yalnızca HTTPS üzerinden kabul edilir; kişisel erişim anahtarı "
                               "kullanın. (HTTP Basic is accepted over HTTPS only; use a personal token.)")
    try:
        username, _, password = base64.b64decode(encoded, validate=True).decode("utf-8").partition(":")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise NotAuthenticated("HTTP Basic başlığı okunamadı. (Unreadable HTTP Basic header.)") from None
    user = django_authenticate(request, username=username, password=password)
    if user is None or not user.is_active:
        raise NotAuthenticated("Kullanıcı adı ya da parola yanlış. (Wrong username or password.)")
    return Credentials(user, None)
