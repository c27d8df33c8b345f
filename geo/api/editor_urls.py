"""Routes of the map editor: its JSON API under api/geo/ and its HTML pages."""

from django.urls import path

from geo.editor import views as pages

from . import features as api

urlpatterns = [
    path("api/geo/editor/layers/", api.editor_layers, name="geo-editor-layers"),
    path("api/geo/layers/<slug:slug>/features/", api.layer_features, name="geo-layer-features"),
    path("api/geo/layers/<slug:slug>/features/<int:pk>/", api.feature_detail, name="geo-feature-detail"),
    path("api/geo/layers/<slug:slug>/history/", api.layer_history, name="geo-layer-history"),
    path("api/geo/changes/<int:change_id>/revert/", api.revert_change, name="geo-change-revert"),
    path("editor/", pages.editor, name="geo-editor"),
    path("katmanlar/", pages.layer_list, name="geo-layer-list"),
    path("katmanlar/<slug:slug>/gecmis/", pages.layer_history, name="geo-layer-history-page"),
    path("katmanlar/<slug:slug>/gecmis/<int:change_id>/geri-al/", pages.revert, name="geo-layer-revert"),
]
