"""The small page that lists and edits a door's bağımsız bölümler without script: one row per
unit, a few empty rows for new ones, a box to remove a unit. It posts to itself and saves through
the same service as the JSON endpoint (services/bolumler.py), so the rules and history are one."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from geo.errors import KentError
from numarataj.models import Adres
from numarataj.services import bolumler

from .register_views import officer_page

NEW_ROWS = 3


def _int(raw: str) -> int | str:
    try:
        return int(raw)
    except ValueError:
        return raw   # left for the schema to name


def _posted(request: HttpRequest) -> dict:
    """The form's rows as the JSON body of the API: removed ones left out, empty new ones skipped."""
    removed = set(request.POST.getlist("sil"))
    columns = {name: request.POST.getlist(name) for name in ("id", *bolumler.COLUMNS)}
    items = []
    for i, raw_id in enumerate(columns["id"]):
        values = {name: (columns[name][i] if i < len(columns[name]) else "").strip() for name in bolumler.COLUMNS}
        if raw_id in removed or (not raw_id and not any(values.values())):
            continue
        item = {"id": _int(raw_id)} if raw_id else {}
        item.update({k: v for k, v in values.items() if v})
        if "kat" in item:
            item["kat"] = _int(item["kat"])
        items.append(item)
    return {"bolumler": items}


@require_http_methods(["GET", "POST"])
@officer_page
def door_units_page(request: HttpRequest, pk: int) -> HttpResponse:
    adres = get_object_or_404(Adres.objects.select_related("csbm", "yapi"), pk=pk)
    error = ""
    if request.method == "POST":
        try:
            bolumler.replace_units(adres, _posted(request), user=request.user)
            return redirect(request.path + "?kaydedildi=1")
        except KentError as e:
            error = e.message + "".join(f" {p}" for p in e.detail.get("problems", []))
    return render(request, "numarataj/register/bolumler.html", {
        "adres": adres, "units": bolumler.units_of(adres), "new_rows": range(NEW_ROWS), "error": error,
        "saved": request.GET.get("kaydedildi") == "1" and not error, "title": _("Bağımsız bölümler")})
