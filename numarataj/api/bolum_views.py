"""A door's bağımsız bölümler over JSON: GET lists them, PUT replaces the list (services/bolumler.py).
For the register office (services/register.require_register_editor): units are working papers
no layer publishes."""


from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from geo.api.responses import json_errors, json_object
from geo.errors import InvalidInput
from numarataj.models import Adres
from numarataj.services import bolumler
from numarataj.services.register import require_register_editor

_JSON = {"ensure_ascii": False}


def _body(request: HttpRequest) -> dict:
    body = json_object(request)
    version = body.pop("version", None)
    if version is not None and (isinstance(version, bool) or not isinstance(version, int)):
        raise InvalidInput("'version' bir tam sayı olmalı. ('version' must be an integer.)", invalid=["version"])
    return {"body": body, "version": version}


@require_http_methods(["GET", "PUT"])
@json_errors
def door_units(request: HttpRequest, pk: int) -> HttpResponse:
    require_register_editor(request.user)
    adres = Adres.objects.select_related("csbm").get(pk=pk)
    if request.method == "PUT":
        units = bolumler.replace_units(adres, **_body(request), user=request.user)
        adres.refresh_from_db()
    else:
        units = bolumler.units_of(adres)
    return JsonResponse({"adres": adres.pk, "adres_ad": str(adres), "version": adres.version,
                         "page": reverse("numarataj-door-units-page", args=[adres.pk]),
                         "page_label": _("Bağımsız bölümleri düzenle"),
                         "items": [bolumler.unit_dict(u) for u in units]}, json_dumps_params=_JSON)
