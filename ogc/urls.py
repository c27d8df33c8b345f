"""/ogc/…: OGC API landing page, conformance, OpenAPI, collections, items, the catalogue, vector
tiles (OGC API Tiles), and the staff page of the agency access log."""

from django.urls import path

from . import pages, tiles, views

TILESET = "collections/<str:slug>/tiles/<str:tms_id>"

urlpatterns = [
    path("", views.landing, name="ogc-landing"),
    path("conformance", views.conformance, name="ogc-conformance"),
    path("openapi", views.openapi, name="ogc-openapi"),
    path("collections", views.collections, name="ogc-collections"),
    path("collections/<str:slug>", views.collection, name="ogc-collection"),
    path("collections/<str:slug>/queryables", views.queryables, name="ogc-queryables"),
    path("collections/<str:slug>/schema", views.schema, name="ogc-schema"),
    path("collections/<str:slug>/items", views.items, name="ogc-items"),
    path("collections/<str:slug>/items/<str:identifier>", views.item, name="ogc-item"),
    path("tileMatrixSets", tiles.tile_matrix_sets, name="ogc-tile-matrix-sets"),
    path("tileMatrixSets/<str:tms_id>", tiles.tile_matrix_set, name="ogc-tile-matrix-set"),
    path("collections/<str:slug>/tiles", tiles.tilesets, name="ogc-tilesets"),
    path(TILESET, tiles.tileset, name="ogc-tileset"),
    path(f"{TILESET}/<str:z>/<str:row>/<str:col>", tiles.tile, name="ogc-tile"),
    path("erisim-kaydi/", pages.access_log, name="ogc-access-log"),
]
