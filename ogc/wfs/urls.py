"""/wfs: one endpoint, the operation named by its `request` parameter (or the XML body's root)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.endpoint, name="wfs"),
]
