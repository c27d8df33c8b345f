"""URLs of documents: address cards and their public verification, accruals, address-determination requests."""

from django.urls import path

from . import documents_views as v

urlpatterns = [
    path("numarataj/dogrula/<str:kod>/", v.dogrula, name="numarataj-dogrula"),
    path("numarataj/kart/", v.kart_yeni, name="numarataj-kart-yeni"),
    path("numarataj/kart/<str:kod>.pdf", v.kart_pdf, name="numarataj-kart-pdf"),
    path("numarataj/tahakkuk/", v.tahakkuk_raporu, name="numarataj-tahakkuk"),
    path("numarataj/tahakkuk/yeni/", v.tahakkuk_yeni, name="numarataj-tahakkuk-yeni"),
    path("numarataj/tespit/", v.tespit_list, name="numarataj-tespitler"),
    path("numarataj/tespit/<int:pk>/", v.tespit_detail, name="numarataj-tespit"),
    path("numarataj/tespit/<int:pk>/yanit/", v.tespit_yanit, name="numarataj-tespit-yanit"),
    path("numarataj/tespit/<int:pk>/yanit.pdf", v.tespit_pdf, name="numarataj-tespit-pdf"),
    path("api/numarataj/dogrula/<str:kod>/", v.api_dogrula, name="numarataj-api-dogrula"),
    path("api/numarataj/kartlar/", v.api_kartlar, name="numarataj-api-kartlar"),
    path("api/numarataj/tahakkuk/", v.api_tahakkuk, name="numarataj-api-tahakkuk"),
    path("api/numarataj/tespit/", v.api_tespitler, name="numarataj-api-tespitler"),
    path("api/numarataj/tespit/ara/", v.api_adres_ara, name="numarataj-api-adres-ara"),
    path("api/numarataj/tespit/<int:pk>/", v.api_tespit, name="numarataj-api-tespit"),
    path("api/numarataj/tespit/<int:pk>/yanit/", v.tespit_yanit, name="numarataj-api-tespit-yanit"),
]
