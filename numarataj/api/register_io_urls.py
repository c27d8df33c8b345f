"""URL of the register import/export page."""

from django.urls import path

from . import register_io_views as views

urlpatterns = [
    path("numarataj/kayit-aktarimi/", views.import_page, name="numarataj-register-io"),
]
