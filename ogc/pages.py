"""The staff page of the agency access log: who read which collection, when, with what result."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from geo.models import AgencyAccessLog, AgencyAccount
from geo.roles import is_staff_member

PAGE_SIZE = 100


@require_GET
@login_required
def access_log(request: HttpRequest) -> HttpResponse:
    if not is_staff_member(request.user):
        raise PermissionDenied
    rows = AgencyAccessLog.objects.select_related("account", "token")
    account = request.GET.get("kurum") or ""
    collection = request.GET.get("koleksiyon") or ""
    status = request.GET.get("durum") or ""
    if account.isdigit():
        rows = rows.filter(account_id=int(account))
    if collection:
        rows = rows.filter(collection=collection)
    if status.isdigit():
        rows = rows.filter(status=int(status))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("sayfa"))
    return render(request, "ogc/access_log.html", {
        "page": page, "accounts": AgencyAccount.objects.order_by("name"),
        "collections": AgencyAccessLog.objects.order_by().values_list("collection", flat=True).distinct(),
        "selected": {"kurum": account, "koleksiyon": collection, "durum": status},
    })
