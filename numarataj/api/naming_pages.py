"""Street naming in the browser, for the numarataj office: the proposal form on the map, the step
documents (council decision, governor's approval) as PDFs, and what a rename in effect makes the
office reissue (the doors, the sign list, new address cards in one click).

Every change still goes through `numarataj.services.naming`; these views only parse the forms."""

import csv
import io
import json

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.contrib.gis.geos import Polygon
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from geo.api.responses import json_errors
from geo.editor.mapbase import map_config
from geo.errors import InvalidInput, KentError
from geo.roles import is_officer
from numarataj.models import Csbm, CsbmTuru, Ilce
from numarataj.models.naming import AdlandirmaKarari
from numarataj.services import levha, naming, naming_documents, rename_reissue
from numarataj.services.requests import require_officer

from .documents_views import require_officer_page, require_staff_page, verify_url
from .naming_views import GeometryField, OneriForm, cleaned, json_response

K = AdlandirmaKarari
MAX_STREETS = 500  # streets sent to the proposal map at once; zoom in for more


class OneriSayfaForm(OneriForm):
    """The proposal as the page shows it: the same fields as the JSON API, with labels; the street
    and the new centreline are filled in from the map."""

    tur = forms.ChoiceField(choices=K.Tur.choices, label=gettext_lazy("Karar türü"), widget=forms.RadioSelect,
                            initial=K.Tur.AD_DEGISIKLIGI)
    yeni_tur = forms.ChoiceField(choices=CsbmTuru.choices, label=gettext_lazy("CSBM türü"))
    yeni_ad = forms.CharField(required=False, max_length=200, label=gettext_lazy("Ad (tür eki olmadan)"))
    yeni_numara = forms.IntegerField(required=False, min_value=1, label=gettext_lazy("ya da numara"))
    csbm = forms.ModelChoiceField(Csbm.objects.all(), required=False, widget=forms.NumberInput,
                                  label=gettext_lazy("Adı değişecek CSBM # (haritadan seçin)"))
    ilce = forms.ModelChoiceField(Ilce.objects.all(), required=False, label=gettext_lazy("İlçe (yeni CSBM)"))
    geom = GeometryField(required=False, widget=forms.HiddenInput)
    oneren = forms.CharField(max_length=200, label=gettext_lazy("Öneren (kişi ya da birim)"))
    gerekce = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label=gettext_lazy("Gerekçe"))
    oneri_tarihi = forms.DateField(required=False, label=gettext_lazy("Öneri tarihi"),
                                   widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields.pop("mahalleler")  # found from the centreline by the service


def _officer_page(request: HttpRequest) -> HttpResponse | None:
    """Anonymous users go to the login page; others who are not officers get a 404."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    require_officer_page(request)
    return None


@require_http_methods(["GET", "POST"])
def karar_yeni(request: HttpRequest) -> HttpResponse:
    """The proposal form: the street (or a new street's centreline) chosen on the map."""
    refused = _officer_page(request)
    if refused is not None:
        return refused
    status, error = 200, ""
    if request.method == "POST":
        form = OneriSayfaForm(request.POST)
        try:
            fields = cleaned(form)
            fields["yeni_ad"] = fields["yeni_ad"] or ""
            karar = naming.propose(user=request.user, **fields)
        except KentError as e:
            status, error = 400, e.message
        else:
            messages.success(request, _("Öneri kaydedildi. (Proposal recorded.)"))
            return redirect("numarataj-karar", pk=karar.pk)
    else:
        ilceler = list(Ilce.objects.values_list("pk", flat=True)[:2])
        form = OneriSayfaForm(initial={"ilce": ilceler[0] if len(ilceler) == 1 else None,
                                       "oneri_tarihi": naming.today()})
    config = {"map": map_config(request), "streets": reverse("numarataj-api-adlandirma-csbm"),
              "texts": {"chosen": _("Seçilen CSBM"), "none": _("Haritadan bir CSBM seçin."),
                        "drawn": _("Yeni CSBM ekseni çizildi."), "draw": _("Ekseni haritada çizin; son noktaya "
                                                                          "yeniden tıklayarak bitirin.")}}
    return render(request, "numarataj/naming/karar_yeni.html",
                  {"form": form, "error": error, "config": config}, status=status)


@json_errors
@require_GET
def api_streets(request: HttpRequest):
    """The CSBMs in a bounding box (lon/lat), for choosing a street on the proposal map."""
    require_officer(request.user)
    qs = Csbm.objects.select_related("ilce").order_by("id")
    bbox = request.GET.get("bbox", "")
    if bbox:
        try:
            west, south, east, north = (float(v) for v in bbox.split(","))
        except ValueError as e:
            raise InvalidInput(_("bbox: batı,güney,doğu,kuzey olmalı. (bbox must be west,south,east,north.)")) from e
        qs = qs.filter(geom__intersects=Polygon.from_bbox((west, south, east, north)))
    rows = list(qs[:MAX_STREETS + 1])
    return json_response({"type": "FeatureCollection", "truncated": len(rows) > MAX_STREETS, "features": [
        {"type": "Feature", "id": c.pk, "geometry": json.loads(c.geom.geojson),
         "properties": {"ad": c.tam_ad, "tur": c.tur, "ilce": c.ilce.ad}} for c in rows[:MAX_STREETS]]})


@require_GET
def belge(request: HttpRequest, pk: int, adim: str) -> HttpResponse:
    """A step's uploaded document, for municipal staff only (media is not served publicly)."""
    require_staff_page(request)
    karar = get_object_or_404(AdlandirmaKarari, pk=pk)
    try:
        content = naming_documents.read(karar, adim)
    except KentError as e:
        return HttpResponse(e.message, status=404, content_type="text/plain; charset=utf-8")
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="karar-{karar.pk}-{adim}.pdf"'
    return response


# --- a rename in effect: what to reissue ------------------------------------------------------

@require_GET
def yeniden_basim(request: HttpRequest, pk: int) -> HttpResponse:
    """The doors whose plates and cards the rename makes outdated."""
    require_staff_page(request)
    karar = get_object_or_404(AdlandirmaKarari.objects.select_related("ilce", "csbm"), pk=pk)
    try:
        doors, error = rename_reissue.doors(karar), ""
    except KentError as e:
        doors, error = [], e.message
    return render(request, "numarataj/naming/yeniden_basim.html", {
        "k": karar, "doors": doors, "error": error, "officer": is_officer(request.user),
        "kart_sayisi": sum(len(d.eski_kartlar) for d in doors)}, status=409 if error else 200)


def _attachment(body: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def yeniden_basim_csv(request: HttpRequest, pk: int) -> HttpResponse:
    require_staff_page(request)
    karar = get_object_or_404(AdlandirmaKarari, pk=pk)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["adres_id", "uavt_adres_no", "csbm", "eski_ad", "kapi_no", "taraf", "mahalle",
                     "bagimsiz_bolum", "eski_kartli_bolum"])
    try:
        doors = rename_reissue.doors(karar)
    except KentError as e:
        return HttpResponse(e.message, status=409, content_type="text/plain; charset=utf-8")
    for d in doors:
        a = d.adres
        writer.writerow([a.pk, a.tescil, a.csbm.tam_ad, karar.eski_tam_ad, a.kapi_no, a.get_taraf_display(),
                         d.mahalle, len(d.bolumler), len(d.eski_kartlar)])
    return _attachment(("\ufeff" + out.getvalue()).encode("utf-8"), "text/csv; charset=utf-8",
                       f"yeniden-basim-karar-{karar.pk}.csv")


@require_GET
def yeniden_basim_levha(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The renamed street's sign list for the workshop, as CSV or PDF."""
    require_staff_page(request)
    karar = get_object_or_404(AdlandirmaKarari.objects.select_related("ilce"), pk=pk)
    try:
        signs = rename_reissue.sign_list(karar)
    except KentError as e:
        return HttpResponse(e.message, status=409, content_type="text/plain; charset=utf-8")
    if fmt == "pdf":
        return _attachment(rename_reissue.signs_pdf(karar, signs), "application/pdf", f"levha-karar-{karar.pk}.pdf")
    return _attachment(levha.as_csv(signs), "text/csv; charset=utf-8", f"levha-karar-{karar.pk}.csv")


@require_POST
def yeniden_basim_paket(request: HttpRequest, pk: int) -> HttpResponse:
    """One click: the new sign list and the new address cards (with their accruals) as one ZIP."""
    require_officer_page(request)
    karar = get_object_or_404(AdlandirmaKarari, pk=pk)
    try:
        body = rename_reissue.bundle(karar, user=request.user, verify_url=lambda card: verify_url(request, card))
    except KentError as e:
        messages.error(request, e.message)
        return redirect("numarataj-karar-yeniden-basim", pk=karar.pk)
    return _attachment(body, "application/zip", f"yeniden-basim-karar-{karar.pk}.zip")
