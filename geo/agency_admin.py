"""Admin for agency accounts, their tokens (created and revoked here; the secret is shown once)
and the read-only access log."""

from django.contrib import admin, messages
from django.db.models import Max, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from geo.models import AgencyAccessLog, AgencyAccount, AgencyToken
from geo.services.agency_access import issue_token, revoke


@admin.action(description=_("Seçili anahtarları iptal et"))
def revoke_tokens(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet) -> None:
    """The admin action both token kinds (agency, personal) offer."""
    for token in queryset.filter(revoked_at__isnull=True):
        revoke(token)
    at = f"{timezone.localtime():%Y-%m-%d %H:%M}"
    messages.success(request, _("Anahtarlar iptal edildi (%(at)s).") % {"at": at})


def _show_secret(request: HttpRequest, account: AgencyAccount, secret: str) -> None:
    messages.warning(request, _("'%(account)s' için yeni erişim anahtarı (yalnızca bu kez gösterilir, güvenli "
                                "bir kanaldan iletin): %(secret)s") % {"account": account, "secret": secret})


class TokenInline(admin.TabularInline):
    model = AgencyToken
    extra = 0
    can_delete = False
    fields = ("prefix", "label", "created_at", "expires_at", "revoked_at")
    readonly_fields = ("prefix", "label", "created_at", "expires_at", "revoked_at")
    verbose_name_plural = _("erişim anahtarları (yenisi için listedeki 'Yeni anahtar üret' eylemini kullanın)")

    def has_add_permission(self, request: HttpRequest, obj: AgencyAccount | None = None) -> bool:
        return False


@admin.register(AgencyAccount)
class AgencyAccountAdmin(admin.ModelAdmin):
    list_display = ("name", "contact_name", "contact_email", "protocol_ref", "active", "last_access")
    list_filter = ("active",)
    search_fields = ("name", "contact_name", "contact_email", "protocol_ref")
    filter_horizontal = ("layers", "layer_groups")
    inlines = [TokenInline]
    actions = ["issue_tokens"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(_last=Max("access_log__at"))

    @admin.display(description=_("son erişim"), ordering="_last")
    def last_access(self, obj: AgencyAccount) -> object:
        return obj._last  # type: ignore[attr-defined]

    @admin.action(description=_("Seçili kurumlara yeni erişim anahtarı üret"))
    def issue_tokens(self, request: HttpRequest, queryset: QuerySet) -> None:
        for account in queryset:
            _token, secret = issue_token(account, label=str(_("yönetim panelinden")), created_by=request.user)
            _show_secret(request, account, secret)


@admin.register(AgencyToken)
class AgencyTokenAdmin(admin.ModelAdmin):
    list_display = ("prefix", "account", "label", "created_at", "created_by", "expires_at", "revoked_at")
    list_filter = ("account", "revoked_at")
    search_fields = ("prefix", "label", "account__name")
    fields = ("account", "label", "expires_at", "prefix", "created_by", "created_at", "revoked_at")
    readonly_fields = ("prefix", "created_by", "created_at", "revoked_at")
    actions = [revoke_tokens]

    def save_model(self, request: HttpRequest, obj: AgencyToken, form: object, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        token, secret = issue_token(obj.account, label=obj.label, created_by=request.user, expires_at=obj.expires_at)
        obj.pk, obj.prefix, obj.token_hash, obj.created_at = token.pk, token.prefix, token.token_hash, token.created_at
        _show_secret(request, obj.account, secret)



@admin.register(AgencyAccessLog)
class AgencyAccessLogAdmin(admin.ModelAdmin):
    list_display = ("at", "account", "user", "collection", "method", "path", "status", "features", "duration_ms")
    list_filter = ("status", "account", "collection")
    search_fields = ("path", "collection", "account__name", "user__username")
    date_hierarchy = "at"
    list_select_related = ("account", "user")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AgencyAccessLog | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AgencyAccessLog | None = None) -> bool:
        return False
