"""The open-data page: every public published layer with metadata, downloads and OGC links."""

import pytest
from django.contrib.gis.geos import Polygon
from django.test import Client

from tiles.models import Imagery


@pytest.mark.django_db
def test_open_data_lists_public_layers_with_links(district):
    Imagery.objects.create(slug="s2", title="Sentinel-2 NDVI", attribution="contains modified Copernicus Sentinel "
                           "data 2025", file="imagery/s2.tif", bounds=Polygon.from_bbox((32.6, 39.7, 33.0, 40.0)),
                           source_crs="EPSG:4326", width=10, height=10, band_count=3, dtype="float32")
    response = Client().get("/acik-veri/")
    assert response.status_code == 200
    html = response.content.decode()
    for slug in ("yapilar", "parklar", "okullar", "mahalleler", "csbm", "adresler"):
        assert f'id="katman-{slug}"' in html
        assert f"/katmanlar/{slug}/disa-aktar/?format=gpkg&amp;crs=EPSG:4326" in html
        assert f"/katmanlar/{slug}/disa-aktar/?format=geojson&amp;crs=EPSG:4326" in html
        assert f"/katmanlar/{slug}/disa-aktar/?format=csv&amp;crs=EPSG:4326" in html
        assert f'href="/ogc/collections/{slug}"' in html and f'href="/ogc/collections/{slug}/items"' in html
    for hidden in ("afet-noktalari", "ic-katman", "taslak"):
        assert f"katman-{hidden}" not in html
    assert "Yapı taban alanları" in html and "CC BY 4.0" in html and "BI Bina" in html  # abstract, licence, theme
    assert "contains modified Copernicus Sentinel data 2025" in html
    assert "REQUEST=GetCapabilities" in html
