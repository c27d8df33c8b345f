"""ensure_demo_users: one user per role, grants per layer and on the Afet Bilgi Bankası group."""

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.utils import timezone

from data.layers import Provenance, ensure_core_layers
from geo.models import Layer, LayerPermission, Right


@pytest.mark.django_db
def test_demo_users_and_grants_are_created_once(settings) -> None:  # noqa: ANN001 - pytest-django fixture
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only
    ensure_core_layers(Provenance("Deneme Belediyesi", "CC0", "test", timezone.now()))
    call_command("ensure_demo_users")
    grants = LayerPermission.objects.count()
    call_command("ensure_demo_users")
    assert LayerPermission.objects.count() == grants

    for name, group in [("editor", "CBS Editörü"), ("numarataj", "Numarataj Memuru"), ("kurum", "Kurum Kullanıcısı"),
                        ("afad", "Kurum Kullanıcısı"), ("admin", "Yönetici")]:
        user = authenticate(username=name, password=name)
        assert user is not None and user.groups.filter(name=group).exists()
    assert get_user_model().objects.get(username="admin").is_superuser
    assert not get_user_model().objects.get(username="editor").is_superuser

    editor_layers = LayerPermission.objects.filter(group__name="CBS Editörü", right=Right.EDIT_DATA)
    assert set(editor_layers.values_list("layer__slug", flat=True)) == set(Layer.objects.values_list("slug", flat=True))
    afad = LayerPermission.objects.filter(user__username="afad")
    assert [(g.right, g.layer_group.slug, g.layer) for g in afad] == [(Right.EDIT_DATA, "afet-bilgi-bankasi", None)]
