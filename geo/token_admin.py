"""Admin of personal access tokens: administrators see every token and may revoke one (a lost
laptop); nobody adds one here, since people make their own at /hesap/anahtarlar/ or an
administrator runs `manage.py user_token`, and the secret is never shown again."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from geo.models import UserToken
from geo.services.user_tokens import revoke


@admin.register(UserToken)
class UserTokenAdmin(admin.ModelAdmin):
    list_display = ("prefix", "user", "label", "created_at", "expires_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("prefix", "label", "user__username")
    readonly_fields = ("user", "label", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at")
    exclude = ("token_hash",)
    list_select_related = ("user",)
    actions = ["revoke_tokens"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=_("Seçili anahtarları iptal et"))
    def revoke_tokens(self, request: HttpRequest, queryset: QuerySet) -> None:
        for token in queryset.filter(revoked_at__isnull=True):
            revoke(token)
        at = f"{timezone.localtime():%Y-%m-%d %H:%M}"
        messages.success(request, _("Anahtarlar iptal edildi (%(at)s).") % {"at": at})
