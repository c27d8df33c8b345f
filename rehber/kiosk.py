"""Kiosk support: finding a registered kiosk, and the QR code that carries its view to a phone.

The QR code encodes a link to the public guide with the kiosk's current view in the hash. The
view is rebuilt from validated parts (numbers, a ref, a category slug, a language), never copied
from the request, so a QR code can only ever point at this guide. The address a phone can reach
is KENT_PUBLIC_URL when set (a kiosk often talks to a local server), else the request's host."""

import io
import re
from dataclasses import dataclass
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.http import HttpRequest, QueryDict
from django.urls import reverse

from geo.errors import InvalidInput
from rehber.models import Kiosk

from .categories import by_slug

_REF = re.compile(r"^[asmyfv]-\d{1,18}$")
_KIOSK_ID = re.compile(r"^[-a-zA-Z0-9_]{1,50}$")
LANGS = {"tr", "en"}


def active_kiosk(kiosk_id: str) -> Kiosk | None:
    """The active kiosk with this id, or None (unknown, malformed or switched off)."""
    if not _KIOSK_ID.match(kiosk_id):
        return None
    return Kiosk.objects.filter(kiosk_id=kiosk_id, active=True).first()


@dataclass(frozen=True)
class View:
    """A shareable view of the guide: where the map is, what is selected, which category and language."""

    lat: float
    lon: float
    zoom: int
    sel: str = ""
    cat: str = ""
    lang: str = "tr"

    @classmethod
    def from_query(cls, q: QueryDict) -> "View":
        try:
            lat, lon, zoom = float(q.get("lat", "")), float(q.get("lon", "")), int(q.get("z", ""))
        except ValueError:
            raise InvalidInput("'lat', 'lon' ve 'z' sayı olmalı. ('lat', 'lon' and 'z' must be numbers.)") from None
        if not (-90 <= lat <= 90 and -180 <= lon <= 180 and 0 <= zoom <= 22):
            raise InvalidInput("Konum ya da yakınlaştırma geçersiz. (Location or zoom out of range.)")
        sel, cat, lang = q.get("sel", ""), q.get("cat", ""), q.get("lang", "tr")
        if sel and not _REF.match(sel):
            raise InvalidInput("Geçersiz seçim. (Invalid selection.)")
        if cat and cat not in by_slug():
            raise InvalidInput("Geçersiz kategori. (Invalid category.)")
        if lang not in LANGS:
            raise InvalidInput("Geçersiz dil. (Invalid language.)")
        return cls(lat, lon, zoom, sel, cat, lang)

    def fragment(self) -> str:
        parts = {"z": self.zoom, "lat": f"{self.lat:.5f}", "lon": f"{self.lon:.5f}"}
        parts.update({k: v for k, v in (("sel", self.sel), ("cat", self.cat)) if v})
        parts["lang"] = self.lang
        return urlencode(parts)


def public_guide_url(request: HttpRequest, view: View) -> str:
    """The address of the public guide showing this view, as a phone would open it."""
    base = getattr(settings, "KENT_PUBLIC_URL", "") or request.build_absolute_uri("/")
    return f"{base.rstrip('/')}{reverse('rehber')}#{view.fragment()}"


def qr_svg(text: str) -> bytes:
    """A QR code as SVG (dark on light, a quiet zone of 4 modules), scalable by CSS."""
    out = io.BytesIO()
    segno.make(text, error="m").save(out, kind="svg", border=4, omitsize=True, xmldecl=False, svgns=True,
                                     dark="#1b1f24", light="#ffffff", title="QR")
    return out.getvalue()
