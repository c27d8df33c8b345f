from django.urls import include, path

from .api import views as api

urlpatterns = [
    path("api/geo/layers/", api.layer_list, name="geo-layers"),
    path("", include("geo.api.editor_urls")),
    path("", include("geo.api.io_urls")),
    path("", include("geo.api.job_urls")),
    path("", include("geo.api.admin_urls")),
    path("", include("geo.api.token_urls")),
]
