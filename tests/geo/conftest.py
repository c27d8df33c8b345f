import pytest
from django.contrib.auth.models import Group, User

from geo.models import Layer, LayerPermission, Right


@pytest.fixture
def parks(db) -> Layer:
    return Layer.objects.create(
        slug="parklar", title_tr="Parklar", theme_id="KH", geometry_family="polygon",
        access_level="public", attribute_schema={"properties": {"ad": {"type": "string"},
                                                                "alan": {"type": "number"}}})


@pytest.fixture
def editor(db, parks) -> User:
    user = User.objects.create_user("editor1", password="pw")
    group = Group.objects.get(name="CBS Editörü")
    user.groups.add(group)
    LayerPermission.objects.create(group=group, layer=parks, right=Right.EDIT_DATA)
    return user
