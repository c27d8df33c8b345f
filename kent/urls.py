"""Kent's URL map: each app mounts its own urls."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("", RedirectView.as_view(url="/rehber/", permanent=False)),
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("ogc/", include("geo.ogc.urls")),
    path("", include("geo.urls")),
    path("", include("numarataj.urls")),
    path("", include("smartcity.urls")),
    path("", include("tiles.urls")),
    path("", include("geo.rehber.urls")),
]
