"""Kent's roles and the checks on them, defined once.

Roles are auth groups, created by geo's migration 0002 and given to the demo users: CBS Editörü
(GIS staff), Numarataj Memuru (the address office), Kurum Kullanıcısı (an outside institution)
and Yönetici (administrator). Per-layer rights are grants, resolved in
`geo.services.permissions`; what a role alone decides is asked here:

- municipal staff (`is_staff_member`): a superuser, a Django staff account, or one of the staff
  roles. They see internal layers, the conformance report, the agency access log, thematic maps,
  smart-city monitoring and the address requests (without personal data);
- numarataj officer (`is_officer`): a superuser or a Numarataj Memuru; the only people who see
  the personal data of address requests and who decide street names;
- the register office (`is_register_office`): officers and administrators; they write the MAKS
  register (others need an edit grant on the address layer);
- administrator (`is_administrator`): a superuser or a Yönetici; sees everyone's jobs.

The role names a user holds are read with one query and kept on the user for the request."""

from typing import Any

CBS_EDITORU = "CBS Editörü"
NUMARATAJ_MEMURU = "Numarataj Memuru"
KURUM_KULLANICISI = "Kurum Kullanıcısı"
YONETICI = "Yönetici"
ROLES = (CBS_EDITORU, NUMARATAJ_MEMURU, KURUM_KULLANICISI, YONETICI)

STAFF_ROLES = frozenset({CBS_EDITORU, NUMARATAJ_MEMURU, YONETICI})
REGISTER_ROLES = frozenset({NUMARATAJ_MEMURU, YONETICI})

_CACHE = "_kent_roles"


def _authenticated(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated)


def role_names(user: Any) -> frozenset[str]:
    """The roles (group names) of `user`; empty for anonymous users. Cached on the user object."""
    if not _authenticated(user):
        return frozenset()
    cached = getattr(user, _CACHE, None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        setattr(user, _CACHE, cached)
    return cached


def has_staff_role(user: Any) -> bool:
    """One of the municipal staff roles, whatever the account's flags."""
    return bool(role_names(user) & STAFF_ROLES)


def is_staff_member(user: Any) -> bool:
    """Municipal staff: a superuser, a Django staff account, or a staff role."""
    return _authenticated(user) and (user.is_superuser or user.is_staff or has_staff_role(user))


def is_officer(user: Any) -> bool:
    """A numarataj officer (Numarataj Memuru) or a superuser."""
    return _authenticated(user) and (user.is_superuser or NUMARATAJ_MEMURU in role_names(user))


def is_register_office(user: Any) -> bool:
    """Someone who writes the MAKS register by role: an officer, an administrator or a superuser."""
    return _authenticated(user) and (user.is_superuser or bool(role_names(user) & REGISTER_ROLES))


def is_administrator(user: Any) -> bool:
    """An administrator (Yönetici) or a superuser."""
    return _authenticated(user) and (user.is_superuser or YONETICI in role_names(user))
