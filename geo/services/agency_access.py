"""Who may read which collection, decided in one place with at most one query per request.

Public collections are open. Agency collections need a token of an active account whose scope
names the layer or its layer group: no token (or an unknown, revoked or expired one) is a 401, a
token without that collection in its scope a 403. Internal layers are never configured, so they
are a 404 whatever the token. Tokens are stored as SHA-256 hashes only.

A person (a personal token `kpat_…` or HTTP Basic, `user_tokens`) reads the agency collections
their layer rights let them view, so a desktop client that edits a layer can also read it."""

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from django.db import connection
from django.http import HttpRequest
from django.utils import timezone

from geo.errors import Forbidden, KentError, NotAuthenticated
from geo.models import AgencyAccessLog, AgencyAccount, AgencyToken, Layer, Right

from . import permissions, user_tokens
from .tokens import hash_token, new_secret, revoke  # noqa: F401 - revoke: callers import it from here

TOKEN_PREFIX = "kent_"
HEADER = "HTTP_X_KENT_TOKEN"


def issue_token(account: AgencyAccount, label: str = "", created_by: Any = None,
                expires_at: datetime | None = None) -> tuple[AgencyToken, str]:
    """A new token for `account`; the secret is returned once and never stored."""
    secret = new_secret(TOKEN_PREFIX)
    token = AgencyToken.objects.create(account=account, label=label, prefix=secret[:12], token_hash=hash_token(secret),
                                       created_by=created_by, expires_at=expires_at)
    return token, secret


@dataclass(frozen=True)
class Caller:
    """The reader of one request. `error` is set when a token was sent but is not usable."""

    token_sent: bool = False
    token_id: int | None = None
    account_id: int | None = None
    account_name: str = ""
    layer_ids: frozenset[int] = field(default_factory=frozenset)
    group_ids: frozenset[int] = field(default_factory=frozenset)
    error: KentError | None = None
    user_id: int | None = None  # a person (personal token or HTTP Basic), with the layers they may view
    username: str = ""
    user_token_id: int | None = None
    viewer_layer_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def is_agency(self) -> bool:
        return self.account_id is not None and self.error is None

    @property
    def is_person(self) -> bool:
        return self.user_id is not None and self.error is None

    def may_read(self, collection: dict[str, Any]) -> bool:
        kent = collection.get("kent", {})
        if kent.get("access") == "public":
            return True
        if kent.get("access") != "agency":
            return False
        if self.is_person:
            return kent.get("layer_id") in self.viewer_layer_ids
        return self.is_agency and (kent.get("layer_id") in self.layer_ids or kent.get("group_id") in self.group_ids)


ANONYMOUS = Caller()

CALLER_SQL = f"""
SELECT t.id, a.id, a.name, a.active, t.revoked_at, t.expires_at,
       ARRAY(SELECT layer_id FROM {AgencyAccount.layers.through._meta.db_table} WHERE agencyaccount_id = a.id),
       ARRAY(SELECT layergroup_id FROM {AgencyAccount.layer_groups.through._meta.db_table}
             WHERE agencyaccount_id = a.id)
FROM {AgencyToken._meta.db_table} t JOIN {AgencyAccount._meta.db_table} a ON a.id = t.account_id
WHERE t.token_hash = %s"""


def token_of(request: HttpRequest) -> str | None:
    auth = request.META.get("HTTP_AUTHORIZATION", "")
    if auth[:7].lower() == "bearer ":
        return auth[7:].strip() or None
    return request.META.get(HEADER) or request.GET.get("token") or None


def caller(request: HttpRequest) -> Caller:
    """The caller of this request (cached on it)."""
    cached = getattr(request, "_kent_ogc_caller", None)
    if cached is not None:
        return cached
    secret = token_of(request)
    if user_tokens.sends_credentials(request):
        result = _person(request)
    else:
        result = ANONYMOUS if secret is None else _resolve(secret)
    request._kent_ogc_caller = result  # type: ignore[attr-defined]
    return result


def _person(request: HttpRequest) -> Caller:
    try:
        credentials = user_tokens.authenticate(request)
    except KentError as e:
        return Caller(token_sent=True, error=e)
    assert credentials is not None  # sends_credentials said so
    user = credentials.user
    viewable = frozenset(lid for lid, rights in permissions.rights_for(user).items() if Right.VIEW in rights)
    return Caller(token_sent=True, user_id=user.pk, username=user.get_username(), viewer_layer_ids=viewable,
                  user_token_id=credentials.token.pk if credentials.token else None)


def _resolve(secret: str) -> Caller:
    refused = NotAuthenticated("Erişim anahtarı geçersiz, iptal edilmiş ya da süresi dolmuş. "
                               "(Invalid, revoked or expired token.)")
    if len(secret) > 200:
        return Caller(token_sent=True, error=refused)
    with connection.cursor() as cur:
        cur.execute(CALLER_SQL, [hash_token(secret)])
        row = cur.fetchone()
    if row is None:
        return Caller(token_sent=True, error=refused)
    token_id, account_id, name, active, revoked_at, expires_at, layers, groups = row
    base = Caller(token_sent=True, token_id=token_id, account_id=account_id, account_name=name)
    if not active:
        return replace(base, error=NotAuthenticated("Kurum hesabı etkin değil. (The agency account is inactive.)"))
    if revoked_at is not None or (expires_at is not None and expires_at <= timezone.now()):
        return replace(base, error=refused)
    return replace(base, layer_ids=frozenset(layers), group_ids=frozenset(groups))


def check(who: Caller, slug: str, collection: dict[str, Any]) -> None:
    """Raise 401/403 unless `who` may read this (configured, so public or agency) collection."""
    if who.error is not None:
        raise who.error
    if who.may_read(collection):
        return
    if who.is_person:
        raise Forbidden(f"'{slug}' koleksiyonunu görme yetkiniz yok ({who.username}). "
                        "(You may not view this collection.)", collection=slug)
    if not who.is_agency:
        raise NotAuthenticated(f"'{slug}' koleksiyonu protokollü kurumlara açıktır; erişim anahtarı gönderin "
                               "(Authorization: Bearer …, X-Kent-Token ya da ?token=). "
                               "(This collection needs an agency token.)", collection=slug)
    raise Forbidden(f"'{slug}' koleksiyonu '{who.account_name}' hesabının yetki kapsamında değil. "
                    "(Your token does not cover this collection.)", collection=slug)


def layer_collection(layer: Layer) -> dict[str, Any]:
    """What `check` and `must_log` read of a collection, for a registry layer served outside
    pygeoapi (the /tiles/ endpoints). As in config.py only a published layer is public or agency."""
    level = layer.access_level if layer.published else "unpublished"
    return {"kent": {"layer_id": layer.pk, "access": level, "group_id": layer.group_id}}


def visible(who: Caller, resources: dict[str, Any]) -> frozenset[str]:
    """The collections this caller may see listed."""
    return frozenset(slug for slug, res in resources.items() if who.error is None and who.may_read(res))


def must_log(who: Caller, collection: dict[str, Any] | None) -> bool:
    return who.token_sent or (collection is not None and collection.get("kent", {}).get("access") == "agency")


def log(who: Caller, request: HttpRequest, slug: str, status: int, features: int | None, started: float,
        now: float) -> None:
    """One access-log row; the token never appears in the logged path, nor a NUL (PostgreSQL text
    cannot hold one, and a fuzzed query string must not turn a logged refusal into a 500)."""
    query = "&".join(f"{k}={v}" for k, v in request.GET.items() if k != "token")
    path = (request.path + (f"?{query}" if query else "")).replace("\x00", "")
    AgencyAccessLog.objects.create(account_id=who.account_id, token_id=who.token_id, user_id=who.user_id,
                                   user_token_id=who.user_token_id, collection=slug,
                                   method=request.method or "GET", path=path[:500], status=status,
                                   features=features, duration_ms=max(0, int((now - started) * 1000)))
