from django.urls import include, path

urlpatterns = [
    path("", include("numarataj.api.home_urls")),
    path("", include("numarataj.api.register_urls")),
    path("", include("numarataj.api.bolum_urls")),
    path("", include("numarataj.api.naming_urls")),
    path("", include("numarataj.api.documents_urls")),
    path("", include("numarataj.api.matching_urls")),
    path("", include("numarataj.api.register_io_urls")),
]
