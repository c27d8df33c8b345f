"""Who may do what on which layer, resolved in one place with two small queries per user.

Rules:
- a superuser has every right on every layer;
- anyone (also anonymous) may view published public layers;
- municipal staff roles (CBS Editörü, Numarataj Memuru, Yönetici; `geo.roles`) may view internal layers;
- agency layers, and every right beyond view, come from grants (`LayerPermission`) to the
  user or one of their groups, on the layer or on its layer group;
- a source may name roles that edit every layer of it (`editor_roles` in geo.sources: the register
  office edits the register's layers without a grant);
- rights imply: manage > edit_metadata, edit_data > view.
"""

from collections import defaultdict

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet

from geo.errors import Forbidden, NotAuthenticated
from geo.models import AccessLevel, Layer, LayerPermission, Right
from geo.roles import has_staff_role, role_names

IMPLIES: dict[str, set[str]] = {
    Right.MANAGE: {Right.MANAGE, Right.EDIT_METADATA, Right.EDIT_DATA, Right.VIEW},
    Right.EDIT_METADATA: {Right.EDIT_METADATA, Right.VIEW},
    Right.EDIT_DATA: {Right.EDIT_DATA, Right.VIEW},
    Right.VIEW: {Right.VIEW},
}
ALL_RIGHTS = set(IMPLIES)

UserLike = AbstractBaseUser | AnonymousUser | None


def rights_for(user: UserLike) -> dict[int, set[str]]:
    """Layer id -> rights of this user. Cached on the user object for the request."""
    cached = getattr(user, "_kent_layer_rights", None)
    if cached is not None:
        return cached
    layers = list(Layer.objects.values_list("id", "group_id", "access_level", "published", "source"))
    result: dict[int, set[str]] = defaultdict(set)
    authenticated = user is not None and user.is_authenticated
    if authenticated and user.is_superuser:
        result.update({lid: set(ALL_RIGHTS) for lid, *_ in layers})
    else:
        by_layer: dict[int, set[str]] = defaultdict(set)
        by_group: dict[int, set[str]] = defaultdict(set)
        if authenticated:
            grants = LayerPermission.objects.filter(Q(user=user) | Q(group__user=user)).values_list(
                "layer_id", "layer_group_id", "right")
            for layer_id, layer_group_id, right in grants:
                (by_layer[layer_id] if layer_id else by_group[layer_group_id]).update(IMPLIES[right])
        staff = has_staff_role(user)
        by_role = _role_rights(user)
        for lid, gid, access, published, source in layers:
            rights = by_layer.get(lid, set()) | by_group.get(gid, set()) | by_role.get(source, set())
            if (access == AccessLevel.PUBLIC and published) or (access == AccessLevel.INTERNAL and staff):
                rights = rights | {Right.VIEW}
            if rights:
                result[lid] = rights
    result = dict(result)
    if user is not None:
        user._kent_layer_rights = result
    return result


def _role_rights(user: UserLike) -> dict[str, set[str]]:
    """Source -> rights the user's roles give on every layer of it (a source spec's editor_roles)."""
    from geo.sources import registered  # the registry imports this module's users

    roles = role_names(user)
    return {name: set(IMPLIES[Right.EDIT_DATA]) for name, spec in registered().items() if spec.editor_roles & roles}


def can(user: UserLike, layer: Layer, right: str) -> bool:
    return right in rights_for(user).get(layer.pk, set())


def require(user: UserLike, layer: Layer, right: str) -> None:
    """Raise the right error: 401 for anonymous users, 403 for a user without the right."""
    if can(user, layer, right):
        return
    if user is None or not user.is_authenticated:
        raise NotAuthenticated("Bu işlem için giriş yapmalısınız. (Log in to do this.)", layer=layer.slug)
    raise Forbidden(f"'{layer.slug}' katmanında '{right}' yetkiniz yok. "
                    f"(You lack the '{right}' right on this layer.)", layer=layer.slug, right=right)


def layers_with(user: UserLike, right: str = Right.VIEW) -> QuerySet[Layer]:
    ids = [lid for lid, rights in rights_for(user).items() if right in rights]
    return Layer.objects.filter(id__in=ids)
