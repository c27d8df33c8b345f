"""/hesap/anahtarlar/: people make and revoke their own personal access tokens, for a desktop GIS
(QGIS) editing through OGC API Features Part 4. The secret is shown once, in the answer to the
form that made it, and never again (only its hash is stored). Staff members and anyone holding an
edit right on some layer (an outside institution's editors) may hold tokens."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from geo.models import Right, UserToken
from geo.roles import is_staff_member
from geo.services import permissions, user_tokens

MAX_DAYS = 3650


def may_hold_tokens(user: object) -> bool:
    return is_staff_member(user) or any(Right.EDIT_DATA in r for r in permissions.rights_for(user).values())


def _days(raw: str) -> int | None:
    """The expiry in days from the form ('' for none); out of range or not a number is refused."""
    if not raw.strip():
        return None
    try:
        days = int(raw)
    except ValueError:
        days = 0
    if not 1 <= days <= MAX_DAYS:
        raise ValueError(_("Geçerlilik 1 ile %(max)s gün arasında olmalı. (Expiry must be 1–%(max)s days.)")
                         % {"max": MAX_DAYS})
    return days


def _ogc_path() -> str:
    """Where OGC API is mounted (the URL map is kent's; geo only names the route)."""
    try:
        return reverse("ogc-landing")
    except NoReverseMatch:
        return "/ogc/"


@login_required
@require_http_methods(["GET", "POST"])
def tokens_page(request: HttpRequest) -> HttpResponse:
    if not may_hold_tokens(request.user):
        raise PermissionDenied(_("Kişisel erişim anahtarı yalnızca belediye personeline ve katman düzenleyicilerine "
                                 "verilir. (Personal tokens are for staff and layer editors.)"))
    secret = None
    if request.method == "POST":
        try:
            days = _days(request.POST.get("expires_days", ""))
        except ValueError as e:
            messages.error(request, str(e))
        else:
            expires = timezone.now() + timedelta(days=days) if days else None
            token, secret = user_tokens.issue(request.user, label=request.POST.get("label", "").strip(),
                                              expires_at=expires)
    ogc_url = request.build_absolute_uri(_ogc_path())
    return render(request, "geo/tokens.html", {
        "tokens": UserToken.objects.filter(user=request.user), "secret": secret, "ogc_url": ogc_url,
        "basic_needs_tls": not request.is_secure()})


@login_required
@require_http_methods(["POST"])
def revoke_token(request: HttpRequest, token_id: int) -> HttpResponse:
    token = get_object_or_404(UserToken, pk=token_id, user=request.user)
    user_tokens.revoke(token)
    messages.success(request, _("Anahtar %(prefix)s… iptal edildi. (Token revoked.)") % {"prefix": token.prefix})
    return HttpResponseRedirect(reverse("geo-user-tokens"))
