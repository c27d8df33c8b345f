"""Who may see what in smartcity, decided in one place: municipal staff (`geo.roles`) and holders
of the view permission on alerts watch everything; a kind whose layer the publication policy opens
to the public (car parks, tourist cameras) shows its live state and history to anyone, so the city
guide can use them. Whether a kind is public is its layer's decision, not a flag of its own."""

from typing import Any

from geo.errors import Forbidden, NotAuthenticated
from geo.roles import is_staff_member
from geo.sources import Audience, may_publish
from smartcity.layers import layers_of
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


def kind_is_public(kind: AssetKind) -> bool:
    """Is a layer of this kind open to the public (geo.sources)?"""
    return any(may_publish(layer, Audience.PUBLIC) for layer in layers_of(kind.type))


def require_kind(user: Any, kind: AssetKind) -> None:
    if not kind_is_public(kind):
        require_watch(user)
