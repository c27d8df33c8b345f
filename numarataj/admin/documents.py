"""Admin of documents: officers keep the council-approved tariff here; cards, accruals and requests are
written by the services (with their rules) and are read-only here. The requests' personal fields are
left out of every admin view, list and search for anyone who is not a numarataj officer."""

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from geo.errors import KentError
from geo.roles import is_officer
from numarataj.models.documents import AdresKarti, AdresTespitTalebi, Tahakkuk, Tarife
from numarataj.services import requests
from numarataj.services.requests import can_see_personal, can_see_requests

from .naming import OfficerOnly

PERSONAL = AdresTespitTalebi.KISISEL_ALANLAR


@admin.register(Tarife)
class TarifeAdmin(admin.ModelAdmin):
    list_display = ("kalem", "birim_fiyat", "birim", "gecerlilik_baslangic", "gecerlilik_bitis", "meclis_karar_no")
    list_filter = ("kalem",)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_officer(request.user)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return is_officer(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return is_officer(request.user)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        """A tariff already charged is evidence: only its end date may still be set."""
        return is_officer(request.user)

    def get_readonly_fields(self, request: HttpRequest, obj: Tarife | None = None):
        if obj is not None and obj.tahakkuklar.exists():
            return ("kalem", "birim", "birim_fiyat", "gecerlilik_baslangic", "meclis_karar_no", "meclis_karar_tarihi")
        return ()

    def has_delete_permission(self, request: HttpRequest, obj: Tarife | None = None) -> bool:
        return is_officer(request.user) and (obj is None or not obj.tahakkuklar.exists())


@admin.register(Tahakkuk)
class TahakkukAdmin(OfficerOnly, admin.ModelAdmin):
    list_display = ("tarih", "kalem", "miktar", "birim_fiyat", "tutar", "aciklama", "olusturan")
    list_filter = ("kalem",)
    date_hierarchy = "tarih"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(AdresKarti)
class AdresKartiAdmin(OfficerOnly, admin.ModelAdmin):
    list_display = ("kod", "adres_kodu", "adres_metni", "duzenlenme", "duzenleyen", "pdf")
    search_fields = ("kod", "adres_kodu")
    raw_id_fields = ("bagimsiz_bolum", "tahakkuk")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description="PDF")
    def pdf(self, obj: AdresKarti) -> str:
        return format_html('<a href="{}">PDF</a>', reverse("numarataj-kart-pdf", args=[obj.kod]))


class TalepAdminForm(forms.ModelForm):
    """The service's checks (T.C. kimlik no checksum, dates) as form errors."""

    class Meta:
        model = AdresTespitTalebi
        fields = ("kurum", "kurum_belge_no", "kurum_belge_tarihi", "konu", "adres_metni", *PERSONAL)

    def clean(self) -> dict:
        data = super().clean()
        if not self.errors:
            try:
                requests.build_request(**{f: data.get(f) for f in self.Meta.fields})
            except KentError as e:
                raise forms.ValidationError(e.message) from e
        return data


@admin.register(AdresTespitTalebi)
class AdresTespitTalebiAdmin(admin.ModelAdmin):
    form = TalepAdminForm
    list_filter = ("durum",)
    raw_id_fields = ("bulunan_adres", "bulunan_bagimsiz_bolum")

    def has_module_permission(self, request: HttpRequest) -> bool:
        return can_see_requests(request.user)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return can_see_requests(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return is_officer(request.user)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # answered on the request's page, through the service

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def get_list_display(self, request: HttpRequest):
        base = ("id", "kurum", "kurum_belge_no", "kurum_belge_tarihi", "durum", "islem")
        return (*base[:4], *PERSONAL, *base[4:]) if can_see_personal(request.user) else base

    def get_search_fields(self, request: HttpRequest):
        base = ("kurum", "kurum_belge_no", "adres_metni", "yanit_sayi")
        return (*base, *PERSONAL) if can_see_personal(request.user) else base

    def get_fields(self, request: HttpRequest, obj=None):
        fields = list(TalepAdminForm.Meta.fields)
        if obj is not None:
            fields += ["durum", "bulunan_adres", "bulunan_bagimsiz_bolum", "yanit_sayi", "yanit_tarihi", "yanit_notu"]
        return [f for f in fields if can_see_personal(request.user) or f not in PERSONAL]

    def get_exclude(self, request: HttpRequest, obj=None):
        return () if can_see_personal(request.user) else PERSONAL

    @admin.display(description=_("işlem"))
    def islem(self, obj: AdresTespitTalebi) -> str:
        return format_html('<a href="{}">{}</a>', reverse("numarataj-tespit", args=[obj.pk]), _("Talep sayfası"))

    def save_model(self, request: HttpRequest, obj: AdresTespitTalebi, form: forms.ModelForm, change: bool) -> None:
        fields = {f: form.cleaned_data.get(f) for f in TalepAdminForm.Meta.fields}
        obj.pk = requests.register(user=request.user, **fields).pk
