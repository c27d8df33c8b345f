"""URL of the numarataj officer's home."""

from django.urls import path

from . import home_views as views

urlpatterns = [
    path("numarataj/", views.home, name="numarataj-home"),
]
