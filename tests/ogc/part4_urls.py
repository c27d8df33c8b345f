"""The OGC tests' URLs plus geo's (the layer history API and page, the token page): Part 4 edits
are checked in the history an editor reads."""

from django.urls import include, path

from .urls import urlpatterns as ogc_urlpatterns

urlpatterns = [*ogc_urlpatterns, path("", include("geo.urls"))]
