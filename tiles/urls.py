"""URL patterns of tiles: /tiles/..., /wms, /acik-veri/ and /tematik-harita/."""

from django.urls import path

from . import pages, views, wms

RETINA = {"retina": "@2x"}
XYZ = "<int:z>/<int:x>/<int:y>"

urlpatterns = [
    path(f"tiles/basemap/{XYZ}.png", views.basemap_tile, name="tiles-basemap"),
    path(f"tiles/basemap/{XYZ}@2x.png", views.basemap_tile, RETINA, name="tiles-basemap-2x"),
    path(f"tiles/layers/<slug:slug>/{XYZ}.png", views.layer_tile, name="tiles-layer"),
    path(f"tiles/layers/<slug:slug>/{XYZ}@2x.png", views.layer_tile, RETINA, name="tiles-layer-2x"),
    path("tiles/imagery/<slug:slug>/tilejson.json", views.imagery_tilejson, name="tiles-imagery-tilejson"),
    path(f"tiles/imagery/<slug:slug>/{XYZ}.png", views.imagery_tile_view, {"fmt": "png"}, name="tiles-imagery"),
    path(f"tiles/imagery/<slug:slug>/{XYZ}.webp", views.imagery_tile_view, {"fmt": "webp"},
         name="tiles-imagery-webp"),
    path(f"tiles/imagery/<slug:slug>/{XYZ}@2x.png", views.imagery_tile_view, {"fmt": "png", **RETINA}),
    path(f"tiles/<slug:slug>/{XYZ}.mvt", views.mvt_tile, name="tiles-mvt"),
    path("wms", wms.endpoint, name="tiles-wms"),
    path("acik-veri/", pages.open_data, name="tiles-open-data"),
    path("tematik-harita/", pages.thematic_page, name="tiles-thematic"),
    path("tematik-harita/<slug:slug>.<str:fmt>", pages.thematic_file, name="tiles-thematic-file"),
]
