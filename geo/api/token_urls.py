"""Routes of a person's own access tokens (for desktop GIS editing through OGC API)."""

from django.urls import path

from . import token_views

urlpatterns = [
    path("hesap/anahtarlar/", token_views.tokens_page, name="geo-user-tokens"),
    path("hesap/anahtarlar/<int:token_id>/iptal/", token_views.revoke_token, name="geo-user-token-revoke"),
]
