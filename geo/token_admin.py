"""Admin of personal access tokens: administrators see every token and may revoke one (a lost
laptop); nobody adds one here, since people make their own at /hesap/anahtarlar/ or an
administrator runs `manage.py user_token`, and the secret is never shown again."""

from django.contrib import admin
from django.http import HttpRequest

from geo.agency_admin import revoke_tokens
from geo.models import UserToken


@admin.register(UserToken)
class UserTokenAdmin(admin.ModelAdmin):
    list_display = ("prefix", "user", "label", "created_at", "expires_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("prefix", "label", "user__username")
    readonly_fields = ("user", "label", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at")
    exclude = ("token_hash",)
    list_select_related = ("user",)
    actions = [revoke_tokens]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

