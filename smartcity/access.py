"""Who may see what in smartcity, decided in one place: municipal staff (`geo.roles`) and holders
of the view permission on alerts watch everything; public kinds (car parks) show their live state
and history to anyone, so the city guide can use them."""

from typing import Any

from geo.errors import Forbidden, NotAuthenticated
from geo.roles import is_staff_member
from smartcity.models import AssetKind


def can_watch(user: Any) -> bool:
    return bool(user and user.is_authenticated and user.is_active
                and (is_staff_member(user) or user.has_perm("smartcity.view_alert")))


def can_acknowledge(user: Any) -> bool:
    return bool(can_watch(user) and (is_staff_member(user) or user.has_perm("smartcity.change_alert")))


def require_watch(user: Any) -> None:
    if not (user and user.is_authenticated):
        raise NotAuthenticated("Oturum açmanız gerekiyor. (Login required.)")
    if not can_watch(user):
        raise Forbidden("Akıllı kent verilerini görme yetkiniz yok. (Not allowed to view smart-city data.)")


def require_kind(user: Any, kind: AssetKind) -> None:
    if not kind.public:
        require_watch(user)
