"""The admin's one revoke action works for both token kinds: agency tokens and personal tokens."""

import pytest
from django.contrib.auth.models import User
from django.test import Client

from geo.models import AgencyAccount, AgencyToken, UserToken
from geo.services import user_tokens
from geo.services.agency_access import issue_token


@pytest.mark.django_db
def test_revoke_action_for_agency_and_personal_tokens():
    admin = User.objects.create_superuser("yonetici", password="pw")
    agency, _ = issue_token(AgencyAccount.objects.create(name="Kurum"))
    personal, _ = user_tokens.issue(admin, label="dizüstü")
    kept, _ = user_tokens.issue(admin, label="masaüstü")
    client = Client()
    client.force_login(admin)
    for url, pk in (("/admin/geo/agencytoken/", agency.pk), ("/admin/geo/usertoken/", personal.pk)):
        r = client.post(url, {"action": "revoke_tokens", "_selected_action": [pk]})
        assert r.status_code == 302, r.content[:300]
    assert AgencyToken.objects.get(pk=agency.pk).revoked_at is not None
    assert UserToken.objects.get(pk=personal.pk).revoked_at is not None
    assert UserToken.objects.get(pk=kept.pk).revoked_at is None
