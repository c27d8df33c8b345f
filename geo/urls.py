from django.urls import path

from .api import views as api

urlpatterns = [
    path("api/geo/layers/", api.layer_list, name="geo-layers"),
]
