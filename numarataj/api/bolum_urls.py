"""URLs of a door's bağımsız bölümler: the JSON list and the small page that edits it."""

from django.urls import path

from . import bolum_page, bolum_views

urlpatterns = [
    path("api/numarataj/adres/<int:pk>/bolumler/", bolum_views.door_units, name="numarataj-door-units"),
    path("numarataj/adres/<int:pk>/bolumler/", bolum_page.door_units_page, name="numarataj-door-units-page"),
]
