"""Admin of street naming: officers enter proposals here (with a map for a new street's centreline);
once saved, a decision is read-only in the admin and moves on only through the service's steps
(the decision page's forms), so no field edit can skip a step or the quorum."""

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from geo.errors import KentError
from geo.roles import is_officer
from geo.widgets import KentGISModelAdmin
from numarataj.models.naming import AdlandirmaKarari, CsbmAdGecmisi
from numarataj.services import naming

PROPOSAL_FIELDS = ("tur", "ilce", "csbm", "yeni_tur", "yeni_ad", "yeni_numara", "geom", "mahalleler", "oneren",
                   "gerekce", "oneri_tarihi")


class OneriAdminForm(forms.ModelForm):
    """Runs the service's checks in clean(), so a duplicate name or a bad centreline shows as a form error."""

    class Meta:
        model = AdlandirmaKarari
        fields = PROPOSAL_FIELDS

    def clean(self) -> dict:
        data = super().clean()
        if self.errors:
            return data
        try:
            naming.build_proposal(**{f: data.get(f) for f in PROPOSAL_FIELDS if f != "mahalleler"},
                                  mahalleler=list(data.get("mahalleler") or []))
        except KentError as e:
            raise forms.ValidationError(e.message) from e
        return data


class OfficerOnly:
    """Naming records are the numarataj office's: officers and superusers only."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_officer(request.user)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return is_officer(request.user)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(AdlandirmaKarari)
class AdlandirmaKarariAdmin(OfficerOnly, KentGISModelAdmin):
    form = OneriAdminForm
    list_display = ("id", "tur", "eski_tam_ad", "yeni_tam_ad", "ilce", "durum", "meclis_karar_no", "yururluk_tarihi")
    list_filter = ("durum", "tur", "ilce")
    search_fields = ("yeni_ad", "eski_ad", "meclis_karar_no", "komisyon_rapor_no", "onay_belge_no")
    raw_id_fields = ("csbm",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return is_officer(request.user)

    def get_fields(self, request: HttpRequest, obj=None):
        if obj is None:
            return PROPOSAL_FIELDS
        return ("islemler", "durum", *PROPOSAL_FIELDS, "eski_tur", "eski_ad", "eski_numara", "komisyon_tarihi",
                "komisyon_rapor_no", "komisyon_gorusu", "meclis_tarihi", "meclis_karar_no", "oy_kabul", "oy_ret",
                "oy_cekimser", "meclis_uye_tamsayisi", "onay_makami", "onay_tarihi", "onay_belge_no",
                "yururluk_tarihi", "kapanis_asamasi", "kapanis_tarihi", "kapanis_belge_no", "kapanis_gerekcesi")

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        return () if obj is None else self.get_fields(request, obj)

    @admin.display(description=_("işlemler"))
    def islemler(self, obj: AdlandirmaKarari) -> str:
        return format_html('<a href="{}">{}</a>', reverse("numarataj-karar", args=[obj.pk]),
                           _("Sonraki adımı karar sayfasında kaydedin"))

    def save_model(self, request: HttpRequest, obj: AdlandirmaKarari, form: forms.ModelForm, change: bool) -> None:
        data = form.cleaned_data
        karar = naming.propose(user=request.user, mahalleler=list(data.get("mahalleler") or []),
                               **{f: data.get(f) for f in PROPOSAL_FIELDS if f != "mahalleler"})
        obj.pk = karar.pk

    def save_related(self, request, form, formsets, change) -> None:
        """propose() already stored the mahalleler."""


@admin.register(CsbmAdGecmisi)
class CsbmAdGecmisiAdmin(OfficerOnly, admin.ModelAdmin):
    list_display = ("csbm", "degisiklik", "eski_tam_ad", "yeni_tam_ad", "gecerlilik_baslangic", "gecerlilik_bitis",
                    "karar")
    list_filter = ("degisiklik",)
    search_fields = ("yeni_ad", "eski_ad")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
