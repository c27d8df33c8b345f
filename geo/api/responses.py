"""One mapping from domain errors to HTTP responses for every JSON view, and one reader of JSON bodies."""

import functools
import json
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from geo.errors import InvalidInput, KentError, NotFound, PayloadTooLarge


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


def json_body(request: HttpRequest, *, empty: Any = None) -> Any:
    """The request's JSON body, read one way for every JSON view: 413 past the upload limit, 400
    when it is not JSON (`empty` stands in for an empty body)."""
    try:
        raw = request.body
    except RequestDataTooBig as e:
        raise PayloadTooLarge(_("İstek gövdesi çok büyük. (The request body is too large.)")) from e
    if not raw:
        return empty
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError) as e:
        raise InvalidInput(_("Gövde geçerli JSON değil. (The body is not valid JSON.)")) from e


def json_object(request: HttpRequest) -> dict[str, Any]:
    """The request's JSON body as an object ({} when empty); 400 for any other JSON value."""
    data = json_body(request, empty={})
    if not isinstance(data, dict):
        raise InvalidInput(_("Gövde bir JSON nesnesi olmalı. (The body must be a JSON object.)"))
    return data
