"""Street-naming pages and JSON: the public list and detail of decisions, the CSBM's name history,
and the officer's steps (a form on the detail page or JSON, both parsed by the same Django form).

Public output never carries the proposer or the users who recorded the steps."""

import json
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.gis.geos import GEOSException, GEOSGeometry
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from geo.api.responses import json_errors, json_object
from geo.errors import InvalidInput, KentError
from geo.roles import is_officer, is_staff_member
from numarataj.models import Csbm, CsbmTuru, Ilce, Mahalle
from numarataj.models.naming import AdlandirmaKarari
from numarataj.services import naming, naming_documents
from numarataj.services.requests import require_officer

K = AdlandirmaKarari


# --- input --------------------------------------------------------------------------------------

class GeometryField(forms.CharField):
    """A GeoJSON geometry (lon/lat) as text or as a parsed JSON object."""

    def to_python(self, value: Any) -> GEOSGeometry | None:
        if value in (None, ""):
            return None
        try:
            geom = GEOSGeometry(value if isinstance(value, str) else json.dumps(value))
        except (GEOSException, ValueError, TypeError) as e:
            raise forms.ValidationError(_("Geçerli bir GeoJSON geometrisi değil. (Not a GeoJSON geometry.)")) from e
        geom.srid = geom.srid or 4326
        return geom


class OneriForm(forms.Form):
    tur = forms.ChoiceField(choices=K.Tur.choices)
    yeni_tur = forms.ChoiceField(choices=CsbmTuru.choices)
    yeni_ad = forms.CharField(required=False, max_length=200)
    yeni_numara = forms.IntegerField(required=False)
    csbm = forms.ModelChoiceField(Csbm.objects.all(), required=False)
    ilce = forms.ModelChoiceField(Ilce.objects.all(), required=False)
    mahalleler = forms.ModelMultipleChoiceField(Mahalle.objects.all(), required=False)
    geom = GeometryField(required=False)
    oneren = forms.CharField(max_length=200)
    gerekce = forms.CharField()
    oneri_tarihi = forms.DateField(required=False)


# The step forms are shown on the decision page, so their fields carry (translated) labels.
class KomisyonForm(forms.Form):
    tarih = forms.DateField(label=gettext_lazy("Rapor tarihi"))
    rapor_no = forms.CharField(max_length=50, label=gettext_lazy("Rapor no"))
    gorus = forms.ChoiceField(choices=K.Gorus.choices, label=gettext_lazy("Komisyon görüşü"))


class MeclisForm(forms.Form):
    tarih = forms.DateField(label=gettext_lazy("Karar tarihi"))
    karar_no = forms.CharField(max_length=50, label=gettext_lazy("Karar no"))
    kabul = forms.IntegerField(min_value=0, label=gettext_lazy("Kabul oyu"))
    ret = forms.IntegerField(min_value=0, label=gettext_lazy("Ret oyu"))
    cekimser = forms.IntegerField(min_value=0, label=gettext_lazy("Çekimser oy"))
    tamsayi = forms.IntegerField(min_value=1, label=gettext_lazy("Üye tamsayısı"))


class OnayForm(forms.Form):
    makam = forms.ChoiceField(choices=K.Makam.choices, label=gettext_lazy("Onay makamı"))
    tarih = forms.DateField(label=gettext_lazy("Onay tarihi"))
    belge_no = forms.CharField(max_length=50, label=gettext_lazy("Belge no"))
    yururluk_tarihi = forms.DateField(required=False, label=gettext_lazy("Yürürlük tarihi"))


class YururlukForm(forms.Form):
    """Applying an approved name whose date has come, without waiting for the nightly job."""


class KapanisForm(forms.Form):
    tarih = forms.DateField(label=gettext_lazy("Kapanış tarihi"))
    gerekce = forms.CharField(label=gettext_lazy("Gerekçe"))
    belge_no = forms.CharField(required=False, max_length=50, label=gettext_lazy("Belge no"))


# step key -> (form, service, button label)
STEP_ACTIONS = {
    "komisyon": (KomisyonForm, naming.commission_report, gettext_lazy("Komisyon raporunu kaydet")),
    "meclis": (MeclisForm, naming.council_decision, gettext_lazy("Meclis kararını kaydet")),
    "onay": (OnayForm, naming.approve, gettext_lazy("Mülki amir onayını kaydet")),
    "yururluk": (YururlukForm, naming.take_effect, gettext_lazy("Yürürlüğe koy")),
    "reddet": (KapanisForm, naming.reject, gettext_lazy("Reddedildi olarak kapat")),
    "geri_cek": (KapanisForm, naming.withdraw, gettext_lazy("Geri çekildi olarak kapat")),
}


def wants_json(request: HttpRequest) -> bool:
    return request.content_type == "application/json" or request.path.startswith("/api/")


def request_data(request: HttpRequest) -> dict[str, Any]:
    """The body as a dict: JSON for API calls, the form fields otherwise."""
    if request.content_type != "application/json":
        return request.POST
    return json_object(request)


def cleaned(form: forms.Form) -> dict[str, Any]:
    """The form's data, or InvalidInput listing each field's problem."""
    if not form.is_valid():
        errors = {field: [str(e) for e in errs] for field, errs in form.errors.items()}
        summary = "; ".join(f"{f}: {' '.join(e)}" for f, e in errors.items())
        raise InvalidInput(_("Geçersiz giriş — %(problems)s. (Invalid input.)") % {"problems": summary}, fields=errors)
    return form.cleaned_data


# --- output -------------------------------------------------------------------------------------

def karar_dict(k: AdlandirmaKarari, officer: bool) -> dict[str, Any]:
    data = {
        "id": k.pk, "tur": k.tur, "tur_adi": k.get_tur_display(), "durum": k.durum, "durum_adi": k.get_durum_display(),
        "ilce": str(k.ilce), "csbm": k.csbm_id, "eski_ad": k.eski_tam_ad, "yeni_ad": k.yeni_tam_ad,
        "gerekce": k.gerekce, "oneri_tarihi": k.oneri_tarihi,
        "komisyon": {"tarih": k.komisyon_tarihi, "rapor_no": k.komisyon_rapor_no, "gorus": k.komisyon_gorusu},
        "meclis": {"tarih": k.meclis_tarihi, "karar_no": k.meclis_karar_no, "kabul": k.oy_kabul, "ret": k.oy_ret,
                   "cekimser": k.oy_cekimser, "uye_tamsayisi": k.meclis_uye_tamsayisi},
        "onay": {"makam": k.onay_makami, "tarih": k.onay_tarihi, "belge_no": k.onay_belge_no},
        "yururluk_tarihi": k.yururluk_tarihi,
        "kapanis": {"asama": k.kapanis_asamasi, "tarih": k.kapanis_tarihi, "belge_no": k.kapanis_belge_no,
                    "gerekce": k.kapanis_gerekcesi},
    }
    if officer:
        data["oneren"] = k.oneren
        data["adimlar"] = [{"onceki": a.onceki, "sonraki": a.sonraki, "zaman": a.zaman, "aciklama": a.aciklama,
                            "kullanici": a.kullanici.get_username() if a.kullanici else None}
                           for a in k.adimlar.select_related("kullanici")]
    return data


def json_response(data: Any, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})


# --- pages --------------------------------------------------------------------------------------

def _decisions(request: HttpRequest):
    qs = AdlandirmaKarari.objects.select_related("ilce__il")
    durum = request.GET.get("durum", "")
    return (qs.filter(durum=durum) if durum in K.Durum.values else qs), durum


@require_GET
def karar_list(request: HttpRequest) -> HttpResponse:
    qs, durum = _decisions(request)
    page = Paginator(qs, 50).get_page(request.GET.get("sayfa"))
    return render(request, "numarataj/naming/karar_list.html",
                  {"page": page, "durum": durum, "durumlar": K.Durum.choices, "officer": is_officer(request.user)})


def step_form(key: str, data: Any = None) -> forms.Form:
    """A step's form for the page; ids carry the step, since several forms share field names."""
    return STEP_ACTIONS[key][0](data, auto_id=f"id_{key}_%s")


@require_GET
def karar_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail_page(request, pk)


def _detail_page(request: HttpRequest, pk: int, failed: tuple[str, forms.Form, str] | None = None,
                 status: int = 200) -> HttpResponse:
    """The decision page; `failed` is (step, bound form, message) of a step just refused, shown on its form."""
    k = get_object_or_404(AdlandirmaKarari.objects.select_related("ilce__il", "csbm"), pk=pk)
    officer = is_officer(request.user)
    steps = []
    if officer:
        for key, (_form, _service, label) in STEP_ACTIONS.items():
            if k.durum not in naming.STEPS[key].allowed_from:
                continue
            form, error = (failed[1], failed[2]) if failed and failed[0] == key else (step_form(key), "")
            steps.append((key, label, form, error, key in naming_documents.DOCUMENT_STEPS))
    need = naming.required_votes(k.tur, k.meclis_uye_tamsayisi) if k.meclis_uye_tamsayisi else None
    staff = is_staff_member(request.user)
    return render(request, "numarataj/naming/karar_detail.html",
                  {"k": k, "officer": officer, "steps": steps, "gerekli_oy": need, "staff": staff,
                   "belgeler": naming_documents.documents(k) if staff else [],
                   "reissue": k.tur == K.Tur.AD_DEGISIKLIGI and k.durum == K.Durum.YURURLUKTE and staff,
                   "adimlar": k.adimlar.select_related("kullanici") if officer else []}, status=status)


@require_GET
def csbm_detail(request: HttpRequest, pk: int) -> HttpResponse:
    csbm = get_object_or_404(Csbm.objects.select_related("ilce__il"), pk=pk)
    return render(request, "numarataj/naming/csbm_detail.html", {
        "csbm": csbm, "gecmis": csbm.ad_gecmisi.select_related("karar"),
        "kararlar": csbm.adlandirma_kararlari.all(), "adres_sayisi": csbm.adresler.count(),
        "mahalleler": csbm.mahalleler.all()})


@require_POST
def karar_step(request: HttpRequest, pk: int, adim: str) -> HttpResponse:
    """One step of the process, from the detail page's forms (HTML) or as JSON."""
    if wants_json(request):
        return _karar_step_json(request, pk, adim)
    try:
        _do_step(request, pk, adim)
    except KentError as e:
        if adim in STEP_ACTIONS and is_officer(request.user):  # the message next to the form, values kept
            return _detail_page(request, pk, (adim, step_form(adim, request.POST), e.message), status=400)
        messages.error(request, e.message)
    else:
        messages.success(request, _("Kaydedildi."))
    return redirect("numarataj-karar", pk=pk)


@json_errors
def _karar_step_json(request: HttpRequest, pk: int, adim: str) -> JsonResponse:
    return json_response(karar_dict(_do_step(request, pk, adim), officer=True))


def _do_step(request: HttpRequest, pk: int, adim: str) -> AdlandirmaKarari:
    require_officer(request.user)
    if adim not in STEP_ACTIONS:
        raise InvalidInput(_("Bilinmeyen adım: '%(step)s'. (Unknown step.) Adımlar: %(steps)s")
                           % {"step": adim, "steps": ", ".join(STEP_ACTIONS)})
    form_class, service, _label = STEP_ACTIONS[adim]
    k = AdlandirmaKarari.objects.get(pk=pk)
    fields = cleaned(form_class(request_data(request)))
    # The page asks for the step's signed document; an API client may send it (multipart) or not.
    document = None
    if adim in naming_documents.DOCUMENT_STEPS and ("belge" in request.FILES or not wants_json(request)):
        document = naming_documents.checked_pdf(request.FILES.get("belge"))
    with transaction.atomic():
        k = service(k, user=request.user, **fields)
        if document is not None:
            naming_documents.store(k, adim, document)
    return k


# --- JSON ---------------------------------------------------------------------------------------

@json_errors
@require_http_methods(["GET", "POST"])
def api_karar_list(request: HttpRequest) -> JsonResponse:
    if request.method == "POST":
        require_officer(request.user)
        fields = cleaned(OneriForm(request_data(request)))
        fields["yeni_ad"] = fields["yeni_ad"] or ""
        k = naming.propose(user=request.user, **fields)
        return json_response(karar_dict(k, officer=True), status=201)
    qs, _ = _decisions(request)
    officer = is_officer(request.user)
    return json_response({"kararlar": [karar_dict(k, officer) for k in qs[:500]]})


@json_errors
@require_GET
def api_karar_detail(request: HttpRequest, pk: int) -> JsonResponse:
    k = AdlandirmaKarari.objects.select_related("ilce__il").get(pk=pk)
    return json_response(karar_dict(k, is_officer(request.user)))


@json_errors
@require_GET
def api_csbm_ad_gecmisi(request: HttpRequest, pk: int) -> JsonResponse:
    csbm = Csbm.objects.get(pk=pk)
    return json_response({"csbm": csbm.pk, "ad": csbm.tam_ad, "gecmis": [
        {"degisiklik": r.degisiklik, "eski_ad": r.eski_tam_ad, "yeni_ad": r.yeni_tam_ad,
         "gecerlilik_baslangic": r.gecerlilik_baslangic, "gecerlilik_bitis": r.gecerlilik_bitis,
         "karar": r.karar_id} for r in csbm.ad_gecmisi.all()]})
