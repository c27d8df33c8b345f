"""The roles and their checks (geo.roles) against real auth groups, one user per role."""

import pytest
from django.contrib.auth.models import AnonymousUser, Group, User

from geo import roles

# role (None: no group) -> (staff member, officer, register office, administrator)
EXPECTED = {
    roles.CBS_EDITORU: (True, False, False, False),
    roles.NUMARATAJ_MEMURU: (True, True, True, False),
    roles.KURUM_KULLANICISI: (False, False, False, False),
    roles.YONETICI: (True, False, True, True),
    None: (False, False, False, False),
}


def checks(user) -> tuple[bool, bool, bool, bool]:  # noqa: ANN001 - a Django user
    return (roles.is_staff_member(user), roles.is_officer(user), roles.is_register_office(user),
            roles.is_administrator(user))


def test_the_migration_created_every_role(db):
    assert set(Group.objects.filter(name__in=roles.ROLES).values_list("name", flat=True)) == set(roles.ROLES)


@pytest.mark.parametrize("role", list(EXPECTED))
def test_each_role_answers_its_checks(db, role):
    user = User.objects.create_user(f"u{len(role or '')}", password="pw")
    if role:
        user.groups.add(Group.objects.get(name=role))
    assert checks(User.objects.get(pk=user.pk)) == EXPECTED[role]


def test_superusers_django_staff_and_anonymous(db):
    assert checks(User.objects.create_superuser("root", password="pw")) == (True, True, True, True)
    staff_flag = User.objects.create_user("admin-site", password="pw", is_staff=True)
    assert checks(staff_flag) == (True, False, False, False)
    assert checks(AnonymousUser()) == checks(None) == (False, False, False, False)
