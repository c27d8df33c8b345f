"""Who may read what: tokens, 401/403, the access log, CORS, the token command and admin."""

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from geo.models import AgencyAccessLog, AgencyAccount, AgencyToken
from geo.services.tokens import hash_token

RISKY = "/ogc/collections/riskli-yapilar/items"
ASSEMBLY = "/ogc/collections/toplanma-alanlari/items"


def test_restricted_collection_401_403_200_and_logged(world, api):
    AgencyAccessLog.objects.all().delete()
    none = api.get(RISKY)
    assert none.status_code == 401 and none.json()["code"] == "NotAuthenticated"
    assert "anahtar" in none.json()["description"]
    other = api.get(RISKY, HTTP_AUTHORIZATION=f"Bearer {world.afad_token}")
    assert other.status_code == 403 and other.json()["code"] == "Forbidden"
    assert "AFAD Ankara" in other.json()["description"]
    right = api.get(RISKY, {"limit": 100}, HTTP_AUTHORIZATION=f"Bearer {world.utility_token}")
    assert right.status_code == 200 and right.json()["numberReturned"] == 20
    log = list(AgencyAccessLog.objects.order_by("id").values_list("account__name", "collection", "status", "features"))
    assert log == [(None, "riskli-yapilar", 401, None), ("AFAD Ankara", "riskli-yapilar", 403, None),
                   ("Başkent Doğalgaz", "riskli-yapilar", 200, 20)]
    assert all("token" not in path for path in AgencyAccessLog.objects.values_list("path", flat=True))


def test_group_scope_covers_its_layers_every_way_a_token_can_be_sent(world, api):
    for kwargs, extra in (({"HTTP_AUTHORIZATION": f"Bearer {world.afad_token}"}, {}),
                          ({"HTTP_X_KENT_TOKEN": world.afad_token}, {}),
                          ({}, {"token": world.afad_token})):
        response = api.get(ASSEMBLY, {"limit": 5, **extra}, **kwargs)
        assert response.status_code == 200, kwargs
        assert response.json()["numberReturned"] == 5
    paged = api.get(ASSEMBLY, {"limit": 5, "token": world.afad_token}).json()
    nxt = next(link["href"] for link in paged["links"] if link["rel"] == "next")
    assert "token=" in nxt  # a client that sent the token as a parameter can follow the link
    assert api.get(f"{ASSEMBLY}/1", HTTP_AUTHORIZATION=f"Bearer {world.afad_token}").status_code in (200, 404)
    assert api.get("/ogc/collections/toplanma-alanlari").status_code == 401
    assert api.get("/ogc/collections/toplanma-alanlari/queryables").status_code == 401


def test_html_pages_of_agency_collections_need_the_token_too(world):
    browser = Client(HTTP_ACCEPT="text/html")
    assert browser.get(ASSEMBLY).status_code == 401
    assert browser.get(ASSEMBLY, {"token": world.afad_token}).status_code == 200


def test_invalid_revoked_expired_and_inactive_tokens_are_401(world, api):
    assert api.get(ASSEMBLY, HTTP_AUTHORIZATION="Bearer kent_yanlis").status_code == 401
    assert api.get("/ogc/collections", HTTP_AUTHORIZATION="Bearer kent_yanlis").status_code == 401
    token = AgencyToken.objects.get(token_hash=hash_token(world.afad_token))
    token.expires_at = timezone.now() - timedelta(minutes=1)
    token.save()
    assert api.get(ASSEMBLY, HTTP_AUTHORIZATION=f"Bearer {world.afad_token}").status_code == 401
    token.expires_at = None
    token.save()
    AgencyAccount.objects.filter(name="AFAD Ankara").update(active=False)
    response = api.get(ASSEMBLY, HTTP_AUTHORIZATION=f"Bearer {world.afad_token}")
    assert response.status_code == 401 and "etkin değil" in response.json()["description"]
    AgencyAccount.objects.filter(name="AFAD Ankara").update(active=True)
    call_command("agency_token", "revoke", token.prefix, stdout=StringIO())
    assert api.get(ASSEMBLY, HTTP_AUTHORIZATION=f"Bearer {world.afad_token}").status_code == 401


def test_only_the_hash_is_stored(world):
    assert not AgencyToken.objects.filter(token_hash=world.afad_token).exists()
    assert AgencyToken.objects.filter(token_hash=hash_token(world.afad_token)).exists()


def test_token_command_create_list_revoke(world, api):
    out = StringIO()
    call_command("agency_token", "create", "--account", "Enerji Dağıtım", "--create-account",
                 "--layer", "riskli-yapilar", "--days", "30", "--label", "saha", stdout=out, stderr=StringIO())
    secret = out.getvalue().strip()
    assert secret.startswith("kent_")
    assert api.get(RISKY, HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200
    listing = StringIO()
    call_command("agency_token", "list", "--account", "Enerji Dağıtım", stdout=listing)
    assert "geçerli" in listing.getvalue() and "riskli-yapilar" in listing.getvalue()
    call_command("agency_token", "revoke", secret, stdout=StringIO())
    assert api.get(RISKY, HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 401
    with pytest.raises(CommandError):
        call_command("agency_token", "create", "--account", "Yok Böyle", stdout=StringIO())


def test_cors_for_public_resources_only(world, api, settings):
    settings.KENT_CORS_ORIGINS = "https://harita.afad.example, https://acik.example"
    origin = {"HTTP_ORIGIN": "https://acik.example"}
    public = api.get("/ogc/collections/binalar/items?limit=1", **origin)
    assert public["Access-Control-Allow-Origin"] == "https://acik.example"
    assert not api.get("/ogc/collections/binalar/items?limit=1",
                       HTTP_ORIGIN="https://kotu.example").has_header("Access-Control-Allow-Origin")
    agency = api.get(ASSEMBLY, HTTP_AUTHORIZATION=f"Bearer {world.afad_token}", **origin)
    assert agency.status_code == 200 and not agency.has_header("Access-Control-Allow-Origin")
    preflight = api.options("/ogc/collections/binalar/items", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET", **origin)
    assert preflight.status_code == 204 and "GET" in preflight["Access-Control-Allow-Methods"]
    settings.KENT_CORS_ORIGINS = "*"
    assert api.get("/ogc/collections", **origin)["Access-Control-Allow-Origin"] == "*"


def test_access_log_page_for_staff_and_admin(world, api):
    api.get(RISKY)
    api.get(RISKY, HTTP_AUTHORIZATION=f"Bearer {world.utility_token}")
    staff = User.objects.create_user("cbs", password="pw")
    staff.groups.add(Group.objects.get_or_create(name="CBS Editörü")[0])
    citizen = User.objects.create_user("vatandas", password="pw")
    client = Client()
    assert client.get("/ogc/erisim-kaydi/").status_code == 302  # to the login page
    client.force_login(citizen)
    assert client.get("/ogc/erisim-kaydi/").status_code == 403
    client.force_login(staff)
    page = client.get("/ogc/erisim-kaydi/", {"koleksiyon": "riskli-yapilar"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "Başkent Doğalgaz" in text and "<td>401</td>" in text and world.utility_token not in text
    admin = User.objects.create_superuser("yonetici", password="pw")
    client.force_login(admin)
    for url in ("/admin/geo/agencyaccount/", "/admin/geo/agencytoken/", "/admin/geo/agencyaccesslog/"):
        assert client.get(url).status_code == 200, url
    account = AgencyAccount.objects.get(name="AFAD Ankara")
    response = client.post("/admin/geo/agencytoken/add/", {"account": account.pk, "label": "yeni"}, follow=True)
    shown = [str(m) for m in response.context["messages"]]
    assert any("kent_" in m for m in shown)
    secret = next(w for m in shown for w in m.split() if w.startswith("kent_"))
    assert api.get(ASSEMBLY, HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200
