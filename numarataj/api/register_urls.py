"""URL patterns of the register and the numbering engine."""

from django.urls import path

from . import plan_views
from . import register_views as views

urlpatterns = [
    path("numarataj/maks-uygunluk/", views.maks_report, name="numarataj-maks-report"),
    path("numarataj/planlar/", views.plan_list, name="numarataj-plan-list"),
    path("numarataj/planlar/yeni/", plan_views.plan_start, name="numarataj-plan-start"),
    path("numarataj/planlar/<int:pk>/", views.plan_detail, name="numarataj-plan"),
    path("numarataj/planlar/<int:pk>/levha.csv", views.signs, {"fmt": "csv"}, name="numarataj-plan-signs-csv"),
    path("numarataj/planlar/<int:pk>/levha.pdf", views.signs, {"fmt": "pdf"}, name="numarataj-plan-signs-pdf"),
    path("numarataj/planlar/<int:pk>/kartlar.pdf", plan_views.cards_pdf, name="numarataj-plan-cards"),
    path("api/numarataj/planlar/yeni/harita/", plan_views.start_map, name="numarataj-plan-start-map"),
    path("api/numarataj/planlar/<int:pk>/belgeler/", plan_views.documents, name="numarataj-plan-documents"),
    path("api/numarataj/planlar/<int:pk>/bolumler/", plan_views.add_units, name="numarataj-plan-units"),
    path("api/numarataj/alan/numarala/", plan_views.number_area, name="numarataj-number-area"),
    path("api/numarataj/planlar/<int:pk>/", views.plan_geojson, name="numarataj-plan-geojson"),
    path("api/numarataj/planlar/<int:pk>/onayla/", views.approve, name="numarataj-plan-approve"),
    path("api/numarataj/planlar/<int:pk>/reddet/", views.reject, name="numarataj-plan-reject"),
    path("api/numarataj/planlar/<int:pk>/geri-al/", views.revert, name="numarataj-plan-revert"),
    path("api/numarataj/csbm/<int:pk>/numarala/", views.number_street, name="numarataj-number-street"),
    path("api/numarataj/yapi/<int:pk>/numarala/", views.number_building, name="numarataj-number-building"),
    path("api/numarataj/ilce/<int:pk>/numarala/", views.number_ilce, name="numarataj-number-ilce"),
]
