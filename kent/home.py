"""The staff home (/calisma/), where a member of staff lands after login: what waits for them in
the modules they use (the numarataj office's queue, open smart-city alerts, their own unfinished
jobs). The public guide stays the public home, `/`; a signed-in user who is not staff (an
agency's account) is sent on to the map, where their layers are."""

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from geo.models import Job
from geo.roles import is_staff_member
from numarataj.services import office
from smartcity.access import can_watch
from smartcity.models import Alert

JOBS_SHOWN = 10


@require_GET
def staff_home(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not is_staff_member(user):  # LOGIN_REDIRECT_URL sends everyone here: others go on to the map
        return redirect("geo-editor")
    jobs = Job.objects.filter(user=user).exclude(state__in=Job.FINISHED).order_by("-created_at")
    return render(request, "kent/staff_home.html", {
        "waiting": office.waiting(),
        "open_alerts": Alert.objects.filter(closed_at__isnull=True).count() if can_watch(user) else None,
        "jobs": list(jobs[:JOBS_SHOWN]),
    })
