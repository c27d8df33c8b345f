"""Routes of a layer's file import and export."""

from django.urls import path

from . import io_views

urlpatterns = [
    path("katmanlar/<slug:slug>/ice-aktar/", io_views.import_page, name="geo-layer-import"),
    path("katmanlar/<slug:slug>/disa-aktar/", io_views.export_download, name="geo-layer-export"),
]
