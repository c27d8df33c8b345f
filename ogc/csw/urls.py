"""/csw: one endpoint; pycsw reads the operation from the request."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.endpoint, name="csw"),
]
