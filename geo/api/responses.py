"""One mapping from domain errors to HTTP responses for every JSON view."""

import functools
from collections.abc import Callable

from django.core.exceptions import ObjectDoesNotExist
from django.http import HttpRequest, HttpResponse, JsonResponse

from geo.errors import KentError, NotFound


def json_errors(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except KentError as e:
            return JsonResponse(e.as_dict(), status=e.status)
        except ObjectDoesNotExist:
            err = NotFound("Bulunamadı. (Not found.)")
            return JsonResponse(err.as_dict(), status=err.status)

    return wrapped
