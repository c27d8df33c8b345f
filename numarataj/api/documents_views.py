"""Documents pages and JSON: issuing and verifying address cards, the accrual report, and the
address-determination requests (personal fields only for numarataj officers, everywhere)."""

import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from geo.api.responses import json_errors
from geo.errors import InvalidInput, KentError, NotFound
from numarataj.models import Adres, BagimsizBolum
from numarataj.models.documents import AdresKarti, AdresTespitTalebi, TarifeKalemi
from numarataj.services import accruals, cards, requests
from numarataj.services.requests import can_see_personal, require_officer, require_staff

from .naming_views import cleaned, json_response, request_data, wants_json

PERSONAL = AdresTespitTalebi.KISISEL_ALANLAR


# --- forms --------------------------------------------------------------------------------------

# The forms are shown on the pages (form.as_p), so every field carries a (translated) label.
class KartForm(forms.Form):
    adres_kodu = forms.RegexField(r"^[0-9]{10}$", label=gettext_lazy("Adres kodu"),
                                  error_messages={"invalid": gettext_lazy("10 haneli adres kodu girin.")})


class TahakkukForm(forms.Form):
    kalem = forms.ChoiceField(choices=TarifeKalemi.choices, label=gettext_lazy("Kalem"))
    miktar = forms.IntegerField(min_value=1, max_value=accruals.MAX_QUANTITY, label=gettext_lazy("Miktar"))
    aciklama = forms.CharField(required=False, max_length=300, label=gettext_lazy("Açıklama"))


class TalepForm(forms.Form):
    kurum = forms.CharField(max_length=200, label=gettext_lazy("Kurum"))
    kurum_belge_no = forms.CharField(max_length=60, label=gettext_lazy("Kurum belge no"))
    kurum_belge_tarihi = forms.DateField(label=gettext_lazy("Kurum belge tarihi"))
    konu = forms.CharField(max_length=200, required=False, label=gettext_lazy("Konu"))
    adres_metni = forms.CharField(max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
                                  label=gettext_lazy("Tespiti istenen adres"))
    kisi_adi = forms.CharField(max_length=150, required=False, label=gettext_lazy("Kişinin adı soyadı"))
    kisi_tckn = forms.CharField(max_length=11, required=False, label=gettext_lazy("T.C. kimlik no"))


class AramaForm(forms.Form):
    mahalle = forms.CharField(required=False, max_length=100, label=gettext_lazy("Mahalle"))
    csbm = forms.CharField(required=False, max_length=150, label=gettext_lazy("CSBM"))
    kapi_no = forms.CharField(required=False, max_length=20, label=gettext_lazy("Dış kapı no"))
    ic_kapi_no = forms.CharField(required=False, max_length=10, label=gettext_lazy("İç kapı no"))


class YanitForm(forms.Form):
    yanit_sayi = forms.CharField(max_length=60, label=gettext_lazy("Yanıt sayısı"))
    yanit_tarihi = forms.DateField(required=False, label=gettext_lazy("Yanıt tarihi"))
    adres = forms.ModelChoiceField(Adres.objects.all(), required=False, widget=forms.NumberInput,
                                   label=gettext_lazy("Dış kapı #"))
    bagimsiz_bolum = forms.ModelChoiceField(BagimsizBolum.objects.all(), required=False, widget=forms.NumberInput,
                                            label=gettext_lazy("Bağımsız bölüm #"))
    yanit_notu = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}),
                                 label=gettext_lazy("Yanıt notu"))


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _html_action(request: HttpRequest, action: Callable[[], HttpResponse], done: str) -> HttpResponse:
    """Run a form action for an HTML page: errors become a message, success returns action's response."""
    try:
        return action()
    except KentError as e:
        messages.error(request, e.message)
        return redirect(done)


def require_officer_page(request: HttpRequest) -> None:
    """Pages answer 404 rather than 403 to outsiders, so they learn nothing about what exists."""
    try:
        require_officer(request.user)
    except KentError as e:
        raise Http404(e.message) from e


def require_staff_page(request: HttpRequest) -> None:
    try:
        require_staff(request.user)
    except KentError as e:
        raise Http404(e.message) from e


# --- address cards ------------------------------------------------------------------------------

def verify_url(request: HttpRequest, card: AdresKarti) -> str:
    return request.build_absolute_uri(reverse("numarataj-dogrula", args=[cards.display_code(card.kod)]))


def _issue(request: HttpRequest) -> AdresKarti:
    require_officer(request.user)
    code = cleaned(KartForm(request_data(request)))["adres_kodu"]
    bb = BagimsizBolum.objects.filter(adres_kodu=code).first()
    if bb is None:
        raise NotFound(_("%(code)s adres kodlu bağımsız bölüm yok. (No unit has this address code.)") % {"code": code})
    return cards.issue(bb, user=request.user)


@require_http_methods(["GET", "POST"])
def kart_yeni(request: HttpRequest) -> HttpResponse:
    """The officer's form: type the 10-digit code, get the card's PDF."""
    if request.method == "POST":
        return _html_action(request, lambda: redirect("numarataj-kart-pdf", kod=_issue(request).kod),
                            "numarataj-kart-yeni")
    require_officer_page(request)
    return render(request, "numarataj/documents/kart_yeni.html", {"form": KartForm()})


@require_GET
def kart_pdf(request: HttpRequest, kod: str) -> HttpResponse:
    require_officer_page(request)
    try:
        card = cards.verify(kod)
    except NotFound as e:
        raise Http404(e.message) from e
    return _pdf(cards.card_pdf(card, verify_url(request, card)), f"adres-karti-{card.kod}.pdf")


@json_errors
@require_POST
def api_kartlar(request: HttpRequest) -> JsonResponse:
    card = _issue(request)
    return json_response({
        "kod": cards.display_code(card.kod), "adres": card.adres_metni, "adres_kodu": card.adres_kodu,
        "dogrulama_url": verify_url(request, card),
        "pdf_url": request.build_absolute_uri(reverse("numarataj-kart-pdf", args=[card.kod])),
        "tahakkuk": {"id": card.tahakkuk_id, "tutar": str(card.tahakkuk.tutar)}}, status=201)


def _verification(kod: str) -> dict[str, Any]:
    card = cards.verify(kod)
    return {"gecerli": True, "kod": cards.display_code(card.kod), "adres": card.adres_metni,
            "adres_kodu": card.adres_kodu, "duzenlenme": timezone.localtime(card.duzenlenme),
            "guncel": cards.is_current(card)}


@require_GET
def dogrula(request: HttpRequest, kod: str) -> HttpResponse:
    """Public: is this card genuine, and what address does it certify. Nothing personal."""
    try:
        card = _verification(kod)
    except NotFound as e:
        raise Http404(e.message) from e
    return render(request, "numarataj/documents/dogrula.html", {"card": card})


@json_errors
@require_GET
def api_dogrula(request: HttpRequest, kod: str) -> JsonResponse:
    return json_response(_verification(kod))


# --- accruals -----------------------------------------------------------------------------------

def _period(request: HttpRequest) -> tuple[dt.date, dt.date]:
    """?from=YYYY-MM-DD&to=YYYY-MM-DD; the current month when absent."""
    today = timezone.localdate()
    values = []
    for key, default in (("from", today.replace(day=1)), ("to", today)):
        raw = request.GET.get(key, "")
        try:
            value = parse_date(raw) if raw else default
        except ValueError:
            value = None
        if value is None:
            raise InvalidInput(_("'%(field)s' geçerli bir tarih değil (YYYY-AA-GG). (Not a date.)") % {"field": key},
                               field=key)
        values.append(value)
    return values[0], values[1]


@require_GET
def tahakkuk_raporu(request: HttpRequest) -> HttpResponse:
    require_officer_page(request)
    try:
        report = accruals.period_report(*_period(request))
    except KentError as e:
        return render(request, "numarataj/documents/tahakkuk.html", {"error": e.message}, status=e.status)
    if request.GET.get("format") == "csv":
        response = HttpResponse(accruals.report_csv(report), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="tahakkuk-{report.baslangic}-{report.bitis}.csv"'
        return response
    return render(request, "numarataj/documents/tahakkuk.html", {"report": report, "form": TahakkukForm()})


@json_errors
@require_http_methods(["GET", "POST"])
def api_tahakkuk(request: HttpRequest) -> JsonResponse:
    """GET: the period report; POST: charge plates or a data sale at today's tariff."""
    require_officer(request.user)
    if request.method == "POST":
        t = accruals.accrue(user=request.user, **cleaned(TahakkukForm(request_data(request))))
        return json_response({"id": t.pk, "kalem": t.kalem, "miktar": t.miktar, "birim_fiyat": str(t.birim_fiyat),
                              "tutar": str(t.tutar), "tarih": t.tarih}, status=201)
    report = accruals.period_report(*_period(request))
    return json_response({
        "baslangic": report.baslangic, "bitis": report.bitis, "toplam": str(report.toplam),
        "kalemler": [{"kalem": r.kalem, "ad": r.ad, "adet": r.adet, "miktar": r.miktar, "tutar": str(r.tutar)}
                     for r in report.rows]})


@require_POST
def tahakkuk_yeni(request: HttpRequest) -> HttpResponse:
    def action() -> HttpResponse:
        require_officer(request.user)
        t = accruals.accrue(user=request.user, **cleaned(TahakkukForm(request.POST)))
        messages.success(request, _("Tahakkuk kaydedildi: %(accrual)s") % {"accrual": t})
        return redirect("numarataj-tahakkuk")
    return _html_action(request, action, "numarataj-tahakkuk")


# --- address-determination requests --------------------------------------------------------------

def talep_dict(t: AdresTespitTalebi, user) -> dict[str, Any]:
    """A request as JSON; the personal fields only for those allowed to see them."""
    data = {"id": t.pk, "kurum": t.kurum, "kurum_belge_no": t.kurum_belge_no,
            "kurum_belge_tarihi": t.kurum_belge_tarihi,
            "konu": t.konu, "adres_metni": t.adres_metni, "durum": t.durum, "durum_adi": t.get_durum_display(),
            "bulunan_adres": t.bulunan_adres_id, "bulunan_bagimsiz_bolum": t.bulunan_bagimsiz_bolum_id,
            "yanit_sayi": t.yanit_sayi, "yanit_tarihi": t.yanit_tarihi, "yanit_notu": t.yanit_notu}
    if can_see_personal(user):
        data.update({f: getattr(t, f) for f in PERSONAL})
    return data


def _register(request: HttpRequest) -> AdresTespitTalebi:
    require_officer(request.user)
    data = cleaned(TalepForm(request_data(request)))
    return requests.register(user=request.user, **data)


def _answer(request: HttpRequest, pk: int) -> AdresTespitTalebi:
    require_officer(request.user)
    return requests.answer(AdresTespitTalebi.objects.get(pk=pk), user=request.user,
                           **cleaned(YanitForm(request_data(request))))


@require_http_methods(["GET", "POST"])
def tespit_list(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return _html_action(request, lambda: redirect("numarataj-tespit", pk=_register(request).pk),
                            "numarataj-tespitler")
    require_staff_page(request)
    return render(request, "numarataj/documents/tespit_list.html", {
        "talepler": AdresTespitTalebi.objects.all()[:200], "kisisel": can_see_personal(request.user),
        "form": TalepForm()})


@require_GET
def tespit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_staff_page(request)
    t = AdresTespitTalebi.objects.filter(pk=pk).select_related("bulunan_adres", "bulunan_bagimsiz_bolum").first()
    if t is None:
        raise Http404(_("Talep yok."))
    officer = can_see_personal(request.user)
    context: dict[str, Any] = {"t": t, "kisisel": officer}
    if t.bulunan_adres is not None:
        context["bulunan"] = cards.address_text(t.bulunan_adres, t.bulunan_bagimsiz_bolum)
    if officer and t.durum == AdresTespitTalebi.Durum.BEKLIYOR:
        arama = AramaForm(request.GET or None)
        context.update(arama=arama, yanit=YanitForm())
        context["oneriler"], context["oneri_notu"] = requests.suggest(t)
        if arama.is_bound and arama.is_valid():
            try:
                context["sonuclar"] = requests.search(**arama.cleaned_data)
            except KentError as e:
                context["arama_hatasi"] = e.message
    return render(request, "numarataj/documents/tespit_detail.html", context)


@require_POST
def tespit_yanit(request: HttpRequest, pk: int) -> HttpResponse:
    if wants_json(request):
        return _api_answer(request, pk)
    return _html_action(request, lambda: redirect("numarataj-tespit", pk=_answer(request, pk).pk),
                        reverse("numarataj-tespit", args=[pk]))


@json_errors
def _api_answer(request: HttpRequest, pk: int) -> JsonResponse:
    return json_response(talep_dict(_answer(request, pk), request.user))


@require_GET
def tespit_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    require_officer_page(request)
    t = AdresTespitTalebi.objects.filter(pk=pk).first()
    if t is None:
        raise Http404(_("Talep yok."))
    try:
        content = requests.reply_letter_pdf(t)
    except KentError as e:
        messages.error(request, e.message)
        return redirect("numarataj-tespit", pk=pk)
    return _pdf(content, f"adres-tespit-yaniti-{t.pk}.pdf")


@json_errors
@require_http_methods(["GET", "POST"])
def api_tespitler(request: HttpRequest) -> JsonResponse:
    if request.method == "POST":
        return json_response(talep_dict(_register(request), request.user), status=201)
    require_staff(request.user)
    return json_response({"talepler": [talep_dict(t, request.user) for t in AdresTespitTalebi.objects.all()[:500]]})


@json_errors
@require_GET
def api_tespit(request: HttpRequest, pk: int) -> JsonResponse:
    require_staff(request.user)
    return json_response(talep_dict(AdresTespitTalebi.objects.get(pk=pk), request.user))


@json_errors
@require_GET
def api_adres_ara(request: HttpRequest) -> JsonResponse:
    """The officer's register search by mahalle / CSBM / door, for answering a request."""
    require_staff(request.user)
    found = requests.search(**cleaned(AramaForm(request.GET)))
    rows = [{"adres": c.adres.pk, "bagimsiz_bolum": c.bagimsiz_bolum.pk if c.bagimsiz_bolum else None,
             "adres_kodu": c.bagimsiz_bolum.adres_kodu if c.bagimsiz_bolum else None, "metin": c.text} for c in found]
    return json_response({"sonuclar": rows})
