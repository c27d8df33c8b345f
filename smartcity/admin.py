"""Admin for smartcity: kinds and rules (declared data a municipality tunes), assets (edits
recorded in history), devices (a token is shown once, when issued), alerts and dead letters."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from geo.services.schema import schema_validator
from geo.widgets import KentGISModelAdmin
from smartcity import alerts
from smartcity.assets import delete_asset, save_asset
from smartcity.models import Alert, AlertRule, Asset, AssetKind, AssetState, DeadLetter, Device


@admin.register(AssetKind)
class AssetKindAdmin(admin.ModelAdmin):
    list_display = ["type", "title_tr", "title_en", "public"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "schema":  # a broken schema would dead-letter every reading of the kind
            formfield.validators.append(schema_validator)
        return formfield


@admin.register(Asset)
class AssetAdmin(KentGISModelAdmin):
    list_display = ["asset_id", "name", "kind", "osm_id"]
    list_filter = ["kind"]
    search_fields = ["asset_id", "name"]

    def save_model(self, request, obj, form, change) -> None:
        save_asset(obj, user=request.user, comment="yönetim paneli (admin)")

    def delete_model(self, request, obj) -> None:
        delete_asset(obj, user=request.user, comment="yönetim paneli (admin)")

    def delete_queryset(self, request, queryset) -> None:
        for obj in queryset:
            delete_asset(obj, user=request.user, comment="yönetim paneli (admin)")


@admin.register(AssetState)
class AssetStateAdmin(admin.ModelAdmin):
    list_display = ["asset", "observed_at", "received_at"]
    search_fields = ["asset__asset_id"]
    readonly_fields = ["asset", "observed_at", "received_at", "state"]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Device)
class DeviceAdmin(admin.ModelAdmin):
    list_display = ["device_id", "name", "active", "last_seen_at"]
    list_filter = ["active", "allowed_kinds"]
    search_fields = ["device_id", "name"]
    filter_horizontal = ["allowed_kinds"]
    autocomplete_fields = ["allowed_assets"]
    actions = ["new_token"]

    def save_model(self, request, obj, form, change) -> None:
        if not obj.token_hash:
            self._show(request, obj, obj.issue_token())
        super().save_model(request, obj, form, change)

    def _show(self, request, device: Device, token: str) -> None:
        messages.warning(request, _("'%(d)s' cihazının anahtarı (yalnızca şimdi gösterilir): %(t)s")
                         % {"d": device.device_id, "t": token})

    @admin.action(description=_("Yeni anahtar üret (eskisi geçersiz olur)"))
    def new_token(self, request, queryset) -> None:
        for device in queryset:
            token = device.issue_token()
            device.save(update_fields=["token_hash"])
            self._show(request, device, token)


@admin.register(AlertRule)
class AlertRuleAdmin(admin.ModelAdmin):
    list_display = ["title_tr", "kind", "code", "severity", "stale_minutes", "active"]
    list_filter = ["kind", "severity", "active"]


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    list_display = ["rule", "asset", "opened_at", "closed_at", "acknowledged_by", "acknowledged_at"]
    list_filter = ["rule__kind", "rule", ("closed_at", admin.EmptyFieldListFilter)]
    search_fields = ["asset__asset_id", "asset__name"]
    readonly_fields = ["rule", "asset", "opened_at", "closed_at", "observed_at", "values",
                       "acknowledged_by", "acknowledged_at"]
    actions = ["acknowledge"]

    @admin.action(description=_("Seçili uyarıları onayla"))
    def acknowledge(self, request, queryset) -> None:
        for alert in queryset.filter(acknowledged_at__isnull=True):
            alerts.acknowledge(alert, request.user)


@admin.register(DeadLetter)
class DeadLetterAdmin(admin.ModelAdmin):
    list_display = ["received_at", "source", "reason", "device", "asset_ref", "topic"]
    list_filter = ["reason", "source"]
    search_fields = ["device", "asset_ref", "topic", "detail"]
    readonly_fields = [f.name for f in DeadLetter._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False
