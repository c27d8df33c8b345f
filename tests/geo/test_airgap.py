"""Admin map widgets work air-gapped: OpenLayers and the base map come from Kent itself."""

import re

import pytest
from django.contrib.auth.models import User


@pytest.mark.django_db
def test_admin_geometry_form_loads_nothing_from_outside(client):
    admin = User.objects.create_superuser("root", password="pw")
    client.force_login(admin)
    page = client.get("/admin/numarataj/yapi/add/").content.decode()
    assert "/static/vendor/ol/dist/ol.js" in page
    assert "/static/geo/kent-olwidget.js" in page
    outside = re.findall(r'(?:src|href)="(https?://[^"]+)"', page)
    assert outside == []
