"""The numarataj officer's home, /numarataj/: what waits for the office (open plans, requests to
answer, naming decisions waiting for a step), the MAKS conformance count, and the way to every
numarataj page. Municipal staff only: anonymous users go to the login page, others get 403."""

import functools
from collections.abc import Callable

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from geo.roles import is_officer, is_register_office, is_staff_member
from numarataj.services import conformance, office


def staff_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_staff_member(request.user):
            return HttpResponseForbidden(_("Bu sayfa belediye personeline açıktır. (Municipal staff only.)"))
        return view(request, *args, **kwargs)
    return wrapped


@require_GET
@staff_page
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(request, "numarataj/home.html", {
        "waiting": office.waiting(), "maks_count": len(conformance.report()),
        "register_office": is_register_office(user), "officer": is_officer(user),
        "admin_site": user.is_staff})
