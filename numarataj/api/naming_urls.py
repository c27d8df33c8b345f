"""URLs of street naming: public pages of decisions and CSBM name history, officer steps, JSON."""

from django.urls import path

from . import naming_views as v

urlpatterns = [
    path("numarataj/kararlar/", v.karar_list, name="numarataj-kararlar"),
    path("numarataj/kararlar/<int:pk>/", v.karar_detail, name="numarataj-karar"),
    path("numarataj/kararlar/<int:pk>/<slug:adim>/", v.karar_step, name="numarataj-karar-adim"),
    path("numarataj/csbm/<int:pk>/", v.csbm_detail, name="numarataj-csbm"),
    path("api/numarataj/kararlar/", v.api_karar_list, name="numarataj-api-kararlar"),
    path("api/numarataj/kararlar/<int:pk>/", v.api_karar_detail, name="numarataj-api-karar"),
    path("api/numarataj/kararlar/<int:pk>/<slug:adim>/", v.karar_step, name="numarataj-api-karar-adim"),
    path("api/numarataj/csbm/<int:pk>/ad-gecmisi/", v.api_csbm_ad_gecmisi, name="numarataj-api-csbm-ad-gecmisi"),
]
