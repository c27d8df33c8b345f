"""Kent's URL map: each app mounts its own urls. Tiles come first: they are the most frequent
requests by far, and Django tries patterns in order (316 before them cost a cached tile 0.12 ms)."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from kent.home import staff_home
from ogc.help import qgis_help

urlpatterns = [
    path("", include("tiles.urls")),
    path("", RedirectView.as_view(url="/rehber/", permanent=False)),
    path("calisma/", staff_home, name="kent-staff-home"),
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("ogc/", include("ogc.urls")),
    path("wfs", include("ogc.wfs.urls")),
    path("csw", include("ogc.csw.urls")),
    path("yardim/qgis/", qgis_help, name="ogc-help-qgis"),
    path("", include("geo.urls")),
    path("", include("numarataj.urls")),
    path("", include("smartcity.urls")),
    path("", include("rehber.urls")),
]
