import pytest

from geo.models import Layer, TucbsTheme


@pytest.mark.django_db
def test_tucbs_catalogue_loaded_with_the_themes_kent_uses():
    codes = set(TucbsTheme.objects.values_list("code", flat=True))
    assert {"AD", "BI", "IB", "UL", "TK"} <= codes


@pytest.mark.django_db
def test_layer_rows_come_from_its_source():
    layer = Layer.objects.create(slug="deneme", title_tr="Deneme", theme_id="CA", geometry_family="point",
                                 attribute_schema={"properties": {"ad": {"type": "string"}}})
    assert layer.is_feature_store
    assert layer.rows().count() == 0
    assert layer.required_attributes() == ["ad"]


@pytest.mark.django_db
def test_the_home_page_leads_to_the_city_guide(client):
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == "/rehber/"
