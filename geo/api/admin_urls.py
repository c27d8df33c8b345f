"""URL patterns of one part of geo (kept apart so each part owns its routes): reports for staff."""

from django.urls import path

from . import conformance_views as views

urlpatterns = [
    path("katmanlar/uygunluk/", views.conformance_page, name="geo-conformance"),
    path("api/geo/conformance/", views.conformance_api, name="geo-conformance-api"),
]
