"""/csw: the Django view that hands a request to pycsw's server object (as pycsw's own WSGI app
does), after Kent has refreshed the records and worked out which of them this caller may see."""

from io import BytesIO
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from geo.services import agency_access as access

from ..models import CswRecord
from .loader import pycsw_server
from .repository import serving_site
from .service import config, site_url
from .sync import ensure_fresh


def visible_filter(who: access.Caller) -> str:
    """pycsw's repository filter (SQL over the records table): public records, and the agency
    records this token or person may read (the same `Caller.may_read` as the OGC API's)."""
    allowed = [pk for pk, kind, object_id, level, group_id in CswRecord.objects.exclude(kent_access="public")
               .values_list("pk", "kent_kind", "kent_object_id", "kent_access", "kent_group_id")
               if who.error is None and kind == "katman"
               and who.may_read({"kent": {"access": level, "layer_id": object_id, "group_id": group_id}})]
    ids = ",".join(str(int(pk)) for pk in allowed)
    return f"(kent_access = 'public' OR id IN ({ids}))" if ids else "kent_access = 'public'"


def _environ(request: HttpRequest) -> dict[str, Any]:
    env = {k: v for k, v in request.META.items() if isinstance(v, str)}
    body = request.body if request.method == "POST" else b""
    env.update({"wsgi.input": BytesIO(body), "CONTENT_LENGTH": str(len(body)), "REQUEST_METHOD": request.method,
                "wsgi.url_scheme": request.scheme})
    return env


@csrf_exempt
def endpoint(request: HttpRequest) -> HttpResponse:
    """CSW 2.0.2 / 3.0 (version from the request, 3.0 by default); read-only."""
    site = site_url(request.scheme, request.get_host())
    server = pycsw_server()
    who = access.caller(request)
    if who.error is not None:
        csw = server.Csw(config(site, "kent_access = 'public'"), _environ(request))
        csw.response = csw.iface.exceptionreport("NoApplicableCode", "token", who.error.message)
        _, contents = csw.dispatch_wsgi()
        return HttpResponse(contents, status=who.error.status, content_type=csw.contenttype)
    if request.method not in {"GET", "HEAD", "POST"}:
        return HttpResponse(status=405, headers={"Allow": "GET, HEAD, POST"})
    ensure_fresh()
    token = serving_site.set(site)
    try:
        csw = server.Csw(config(site, visible_filter(who)), _environ(request))
        status, contents = csw.dispatch_wsgi()
    finally:
        serving_site.reset(token)
    return HttpResponse(contents, status=int(str(status).split()[0]), content_type=csw.contenttype)
