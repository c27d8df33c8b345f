"""Admin of the register (İl … bağımsız bölüm) and of numbering (plans, sites, plots, history).

CSBM, Yapı and Adres forms run the MAKS rules (services/rules.py) as form errors, and saves and
deletions go through services/register.py, so every admin edit is validated and recorded in geo's
history like any other. Plans are read-only here: they change only by approval or rejection
(the actions below, or the plan's map page)."""

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from geo.errors import KentError
from geo.widgets import KentGISModelAdmin
from numarataj.models import (
    Adres,
    Arsa,
    BagimsizBolum,
    Csbm,
    Il,
    Ilce,
    KapiNoGecmisi,
    Mahalle,
    NumberingPlan,
    Site,
    Yapi,
)
from numarataj.services import conformance, plans, register
from numarataj.services.rules import Violation, check_object, normalize_door_number

ADMIN_COMMENT = "yönetim paneli"


class MaksForm(forms.ModelForm):
    """Shows the MAKS violations of the edited object as form errors. They come before the
    database constraints' generic messages: a street with a name and a number reads "a street has
    a name or a number, never both", not "constraint csbm_name_xor_number is violated"."""

    def maks_violations(self) -> list[Violation]:
        return []

    def validate_constraints(self) -> None:
        violations = [] if self.errors else self.maks_violations()
        for v in violations:
            self.add_error(None, v.message)
        if not violations:
            super().validate_constraints()


class CsbmForm(MaksForm):
    class Meta:
        model = Csbm
        fields = "__all__"

    def maks_violations(self) -> list[Violation]:
        ids = [m.pk for m in self.cleaned_data.get("mahalleler") or []]
        return check_object(conformance.csbm_data(self.instance, ids), "numarataj.Csbm",
                            self.instance.pk or conformance.NEW_ID)


class YapiForm(MaksForm):
    class Meta:
        model = Yapi
        fields = "__all__"

    def maks_violations(self) -> list[Violation]:
        return check_object(conformance.yapi_data(self.instance), "numarataj.Yapi",
                            self.instance.pk or conformance.NEW_ID)


class AdresForm(MaksForm):
    class Meta:
        model = Adres
        fields = "__all__"

    def clean_kapi_no(self) -> str:
        try:
            return normalize_door_number(self.cleaned_data["kapi_no"])
        except KentError as e:
            raise forms.ValidationError(e.message) from e

    def maks_violations(self) -> list[Violation]:
        return check_object(conformance.adres_data(self.instance), "numarataj.Adres",
                            self.instance.pk or conformance.NEW_ID)


class RecordedAdmin(KentGISModelAdmin):
    """Deletions are recorded (and so revertible) like every other edit."""

    def delete_model(self, request: HttpRequest, obj) -> None:
        register.delete_row(obj, user=request.user, comment=ADMIN_COMMENT, check_rights=False)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        for obj in queryset:
            register.delete_row(obj, user=request.user, comment=ADMIN_COMMENT, check_rights=False)

    def save_model(self, request: HttpRequest, obj, form, change: bool) -> None:
        register.write_row(obj, user=request.user, comment=ADMIN_COMMENT)


@admin.register(Il)
class IlAdmin(admin.ModelAdmin):
    list_display = ("ad", "plaka")
    search_fields = ("ad",)


@admin.register(Ilce)
class IlceAdmin(RecordedAdmin):
    list_display = ("ad", "il")
    list_filter = ("il",)
    search_fields = ("ad",)


@admin.register(Mahalle)
class MahalleAdmin(RecordedAdmin):
    list_display = ("ad", "ilce", "uavt_kodu", "yaklasik")
    list_filter = ("ilce", "yaklasik")
    search_fields = ("ad", "uavt_kodu")


@admin.register(Csbm)
class CsbmAdmin(RecordedAdmin):
    form = CsbmForm
    list_display = ("tam_ad", "tur", "ilce", "uavt_kodu", "baslangic_sabit")
    list_filter = ("tur", "ilce")
    search_fields = ("ad", "numara", "uavt_kodu")
    filter_horizontal = ("mahalleler",)

    def save_model(self, request: HttpRequest, obj: Csbm, form, change: bool) -> None:
        register.save_csbm(obj, user=request.user, mahalleler=form.cleaned_data.get("mahalleler") or None,
                           comment=ADMIN_COMMENT, check_rights=False)

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        if not form.cleaned_data.get("mahalleler"):  # keep the mahalleler the service linked
            form.cleaned_data["mahalleler"] = list(form.instance.mahalleler.all())
        super().save_related(request, form, formsets, change)


class AdresInline(admin.TabularInline):
    model = Adres
    fields = ("kapi_no", "csbm", "taraf", "uavt_kodu")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True


@admin.register(Yapi)
class YapiAdmin(RecordedAdmin):
    form = YapiForm
    list_display = ("__str__", "mahalle", "tanitim_no", "maks_id", "kat_ust", "kat_alt", "kullanim")
    list_filter = ("kullanim", "mahalle__ilce")
    search_fields = ("ad", "maks_id", "tanitim_no")
    inlines = [AdresInline]

    def save_model(self, request: HttpRequest, obj: Yapi, form, change: bool) -> None:
        register.save_yapi(obj, user=request.user, comment=ADMIN_COMMENT, check_rights=False)


class BagimsizBolumInline(admin.TabularInline):
    model = BagimsizBolum
    fields = ("ic_kapi_no", "kat", "kullanim", "adres_kodu")  # adres_kodu: entered as UAVT gives it
    extra = 0


@admin.register(Adres)
class AdresAdmin(RecordedAdmin):
    form = AdresForm
    list_display = ("__str__", "mahalle", "taraf", "uavt_kodu")
    list_filter = ("taraf", "mahalle")
    list_select_related = ("csbm", "mahalle")
    search_fields = ("kapi_no", "csbm__ad", "yazildigi_gibi", "uavt_kodu")
    raw_id_fields = ("yapi", "csbm")
    inlines = [BagimsizBolumInline]

    def save_model(self, request: HttpRequest, obj: Adres, form, change: bool) -> None:
        register.save_adres(obj, user=request.user, comment=ADMIN_COMMENT, check_rights=False)


@admin.register(BagimsizBolum)
class BagimsizBolumAdmin(admin.ModelAdmin):
    list_display = ("__str__", "kat", "kullanim", "adres_kodu")
    search_fields = ("adres_kodu", "ic_kapi_no")
    raw_id_fields = ("adres",)


@admin.register(Site)
class SiteAdmin(RecordedAdmin):
    list_display = ("ad", "mahalle", "csbm")
    search_fields = ("ad",)
    raw_id_fields = ("csbm",)


@admin.register(Arsa)
class ArsaAdmin(RecordedAdmin):
    list_display = ("__str__", "csbm", "ayrilacak_adet", "ayrilan_nolar")
    search_fields = ("ada", "parsel")
    raw_id_fields = ("csbm",)
    readonly_fields = ("ayrilan_nolar",)


@admin.action(description=_("Seçili planları onayla"))
def approve_plans(modeladmin, request: HttpRequest, queryset: QuerySet[NumberingPlan]) -> None:
    _decide(modeladmin, request, queryset, plans.approve)


@admin.action(description=_("Seçili planları reddet"))
def reject_plans(modeladmin, request: HttpRequest, queryset: QuerySet[NumberingPlan]) -> None:
    _decide(modeladmin, request, queryset, plans.reject)


def _decide(modeladmin, request: HttpRequest, queryset: QuerySet[NumberingPlan], action) -> None:
    for plan in queryset:
        try:
            action(plan, user=request.user)
        except KentError as e:
            modeladmin.message_user(request, f"#{plan.pk}: {e.message}", messages.ERROR)
        else:
            modeladmin.message_user(request, f"#{plan.pk}: {plan.get_durum_display()}", messages.SUCCESS)


@admin.register(NumberingPlan)
class NumberingPlanAdmin(admin.ModelAdmin):
    list_display = ("pk", "tur", "kapsam", "durum", "olusturan", "olusturma", "karar_veren", "karar_tarihi",
                    "harita")
    list_filter = ("durum", "tur", "ilce")
    actions = [approve_plans, reject_plans]
    readonly_fields = [f.name for f in NumberingPlan._meta.fields] + ["degisiklikler", "harita"]

    @admin.display(description=_("kapsam"))
    def kapsam(self, plan: NumberingPlan) -> str:
        return plan.csbm.tam_ad if plan.csbm_id else str(plan.ilce)

    @admin.display(description=_("harita"))
    def harita(self, plan: NumberingPlan) -> str:
        return format_html('<a href="{}">{}</a>', reverse("numarataj-plan", args=[plan.pk]), _("planı incele"))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(KapiNoGecmisi)
class KapiNoGecmisiAdmin(admin.ModelAdmin):
    """Evidence of old numbers: read-only."""

    list_display = ("kapi_no", "csbm", "adres", "gecerli_baslangic", "gecerli_bitis", "plan")
    search_fields = ("kapi_no", "csbm__ad")
    list_select_related = ("csbm", "adres__csbm")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
