"""manage.py ensure_demo_users: the demo's users, one per role, with their layer grants.

Safe to run again: users, group memberships and grants are created once; passwords are reset to
the demo ones so the printed credentials always work. For demos only, never on a real install."""

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from data.layers import AFET_GROUP
from geo import roles
from geo.models import Layer, LayerGroup, LayerPermission, Right

# username (= password), group, first name, last name, superuser
USERS: list[tuple[str, str, str, str, bool]] = [
    ("editor", roles.CBS_EDITORU, "Ayşe", "Yılmaz", False),
    ("numarataj", roles.NUMARATAJ_MEMURU, "Mehmet", "Demir", False),
    ("kurum", roles.KURUM_KULLANICISI, "Zeynep", "Kaya", False),
    ("afad", roles.KURUM_KULLANICISI, "AFAD", "Ankara İl Müdürlüğü", False),
    ("admin", roles.YONETICI, "Sistem", "Yöneticisi", True),
]
NUMARATAJ_LAYERS = ["mahalleler", "csbm", "yapilar", "adresler"]


def _grant(right: str, *, group: Group | None = None, user: Any = None, layer: Layer | None = None,
           layer_group: LayerGroup | None = None) -> None:
    LayerPermission.objects.get_or_create(group=group, user=user, layer=layer, layer_group=layer_group, right=right)


class Command(BaseCommand):
    help = gettext_lazy("Demo kullanıcılarını (editor, numarataj, kurum, afad, admin) ve katman yetkilerini oluşturur.")

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        User = get_user_model()
        users = {}
        for username, group_name, first, last, superuser in USERS:
            user, _created = User.objects.get_or_create(username=username)
            user.first_name, user.last_name = first, last
            user.is_superuser = user.is_staff = superuser
            user.set_password(username)
            user.save()
            group, _g = Group.objects.get_or_create(name=group_name)
            user.groups.add(group)
            users[username] = user

        editors = Group.objects.get(name=roles.CBS_EDITORU)
        for layer in Layer.objects.all():  # one grant per layer, so a layer can later be taken away alone
            _grant(Right.EDIT_DATA, group=editors, layer=layer)
        clerks = Group.objects.get(name=roles.NUMARATAJ_MEMURU)
        for layer in Layer.objects.filter(slug__in=NUMARATAJ_LAYERS):
            _grant(Right.EDIT_DATA, group=clerks, layer=layer)
        afet = LayerGroup.objects.filter(slug=AFET_GROUP).first()
        if afet is None:
            self.stderr.write(_("'{slug}' katman grubu yok: önce build_demo ya da import_osm çalıştırın.").format(
                slug=AFET_GROUP))
        else:
            _grant(Right.VIEW, group=Group.objects.get(name=roles.KURUM_KULLANICISI), layer_group=afet)
            _grant(Right.EDIT_DATA, user=users["afad"], layer_group=afet)

        self.stdout.write(_("Demo kullanıcıları (kullanıcı adı / parola):"))
        for username, group_name, *_rest in USERS:
            self.stdout.write(f"  {username} / {username}  ({group_name})")
