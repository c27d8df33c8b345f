"""URL patterns of textual address matching."""

from django.urls import path

from . import matching_views as views

urlpatterns = [
    path("api/numarataj/eslestir/", views.eslestir, name="numarataj-eslestir"),
    path("api/numarataj/eslestir/toplu/", views.eslestir_toplu, name="numarataj-eslestir-toplu"),
]
