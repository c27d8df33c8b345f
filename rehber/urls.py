"""URLs of the city guide: the pages, and its JSON under /api/rehber/."""

from django.urls import path

from . import views

urlpatterns = [
    path("rehber/", views.guide, name="rehber"),
    path("kiosk/<path:kiosk_id>/", views.kiosk_page, name="rehber-kiosk"),  # any id: unknown ones get a clear 404
    path("api/rehber/oner/", views.api_suggest, name="rehber-oner"),
    path("api/rehber/kart/<str:ref>/", views.api_card, name="rehber-kart"),
    path("api/rehber/kategori/<str:slug>/", views.api_category, name="rehber-kategori"),
    path("api/rehber/burada/", views.api_here, name="rehber-burada"),
    path("api/rehber/qr.svg", views.api_qr, name="rehber-qr"),
]
