"""What tiles offers every Kent map page as a background (geo.editor.mapbase): Kent's own Mapnik
base map, and each imagery set the user may see as the alternative. Registered in TilesConfig.ready(),
so geo never imports tiles."""

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from geo.editor.mapbase import Background

from .imagery_store import visible_imagery
from .views import BASEMAP_ATTRIBUTION

_TAIL = "0/0/0.png"


def _xyz(name: str, *args: str) -> str | None:
    """'/tiles/…/{z}/{x}/{y}{r}.png' of a named z/x/y route ({r}: Leaflet's '@2x' on dense screens)."""
    try:
        url = reverse(name, args=[*args, 0, 0, 0])
    except NoReverseMatch:
        return None
    return url[: -len(_TAIL)] + "{z}/{x}/{y}{r}.png" if url.endswith(_TAIL) else None


def backgrounds(request: HttpRequest) -> list[Background]:
    found = []
    base = _xyz("tiles-basemap")
    if base:
        found.append(Background("basemap", _("Altlık harita"), base, BASEMAP_ATTRIBUTION, base=True))
    for record in visible_imagery(request.user).only("slug", "title", "attribution", "bounds"):
        url = _xyz("tiles-imagery", record.slug)
        if url:
            found.append(Background(record.slug, record.title, url, record.attribution,
                                    bounds=record.bounds.extent, max_native_zoom=18))
    return found
