"""URLs of street naming: public pages of decisions and CSBM name history, officer steps, JSON."""

from django.urls import path

from . import naming_pages as pages
from . import naming_views as v

urlpatterns = [
    path("numarataj/kararlar/", v.karar_list, name="numarataj-kararlar"),
    path("numarataj/kararlar/yeni/", pages.karar_yeni, name="numarataj-karar-yeni"),
    path("numarataj/kararlar/<int:pk>/", v.karar_detail, name="numarataj-karar"),
    path("numarataj/kararlar/<int:pk>/belge/<slug:adim>.pdf", pages.belge, name="numarataj-karar-belge"),
    path("numarataj/kararlar/<int:pk>/yeniden-basim/", pages.yeniden_basim, name="numarataj-karar-yeniden-basim"),
    path("numarataj/kararlar/<int:pk>/yeniden-basim.csv", pages.yeniden_basim_csv,
         name="numarataj-karar-yeniden-basim-csv"),
    path("numarataj/kararlar/<int:pk>/levha.csv", pages.yeniden_basim_levha, {"fmt": "csv"},
         name="numarataj-karar-levha-csv"),
    path("numarataj/kararlar/<int:pk>/levha.pdf", pages.yeniden_basim_levha, {"fmt": "pdf"},
         name="numarataj-karar-levha-pdf"),
    path("numarataj/kararlar/<int:pk>/yeniden-basim/paket/", pages.yeniden_basim_paket,
         name="numarataj-karar-yeniden-basim-paket"),
    path("numarataj/kararlar/<int:pk>/<slug:adim>/", v.karar_step, name="numarataj-karar-adim"),
    path("numarataj/csbm/<int:pk>/", v.csbm_detail, name="numarataj-csbm"),
    path("api/numarataj/kararlar/", v.api_karar_list, name="numarataj-api-kararlar"),
    path("api/numarataj/adlandirma/csbm/", pages.api_streets, name="numarataj-api-adlandirma-csbm"),
    path("api/numarataj/kararlar/<int:pk>/", v.api_karar_detail, name="numarataj-api-karar"),
    path("api/numarataj/kararlar/<int:pk>/<slug:adim>/", v.karar_step, name="numarataj-api-karar-adim"),
    path("api/numarataj/csbm/<int:pk>/ad-gecmisi/", v.api_csbm_ad_gecmisi, name="numarataj-api-csbm-ad-gecmisi"),
]
