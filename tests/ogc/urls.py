"""The URLs the OGC tests need: /ogc/ exactly as kent/urls.py mounts it, plus admin and login.
The OGC tests do not depend on the other apps' routes being importable at every moment."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("ogc/", include("ogc.urls")),
    path("wfs", include("ogc.wfs.urls")),
    path("csw", include("ogc.csw.urls")),
]
