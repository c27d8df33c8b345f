"""The one top bar: which of Kent's modules the user may open, decided here from the role checks
(geo.roles) and offered to every template as `kent_menu` by a context processor. Pages do not add
their own top-bar links; a module with sub-pages shows them in its own section bar."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from geo.roles import is_administrator, is_staff_member
from smartcity.access import can_watch


@dataclass(frozen=True)
class MenuItem:
    key: str
    label: Promise
    url: str
    current: bool


def _everyone(user: Any) -> bool:
    return True


def _signed_in(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated)


def _admin_site(user: Any) -> bool:
    return _signed_in(user) and user.is_active and user.is_staff


def _agency_tokens(user: Any) -> bool:
    return _admin_site(user) and is_administrator(user)


# key, label, URL name, who sees it; in the bar's order
MODULES: list[tuple[str, Promise, str, Callable[[Any], bool]]] = [
    ("calisma", _("Çalışma masası"), "kent-staff-home", is_staff_member),
    ("editor", _("Harita düzenleyici"), "geo-editor", _everyone),
    ("katmanlar", _("Katmanlar"), "geo-layer-list", _everyone),
    ("numarataj", _("Numarataj"), "numarataj-home", is_staff_member),
    ("akilli-kent", _("Akıllı kent"), "smartcity-dashboard", can_watch),
    ("tematik-harita", _("Tematik harita"), "tiles-thematic", is_staff_member),
    ("acik-veri", _("Açık veri"), "tiles-open-data", _everyone),
    ("isler", _("İşler"), "geo-jobs", _signed_in),
    ("kurum-anahtarlari", _("Kurum anahtarları"), "admin:geo_agencytoken_changelist", _agency_tokens),
    ("yonetim", _("Yönetim"), "admin:index", _admin_site),
]


def menu(request: HttpRequest) -> list[MenuItem]:
    """The modules this request's user may open; a module whose URL is not installed is left out."""
    user = getattr(request, "user", None)
    items: list[MenuItem] = []
    for key, label, name, allowed in MODULES:
        if not allowed(user):
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        items.append(MenuItem(key, label, url, False))
    # the current module: the longest URL the path starts with ("/admin/geo/…" is the tokens, not admin)
    best = max((i for i in items if request.path.startswith(i.url)), key=lambda i: len(i.url), default=None)
    return [MenuItem(i.key, i.label, i.url, i is best) for i in items]


def top_bar(request: HttpRequest) -> dict[str, Any]:
    """Context processor: `kent_menu`, computed only when a template reads it."""
    return {"kent_menu": lambda: menu(request)}
