"""JSON API of the layer registry."""

from django.http import HttpRequest, JsonResponse

from geo.models import AccessLevel, Layer


def layer_list(request: HttpRequest) -> JsonResponse:
    layers = Layer.objects.filter(published=True, access_level=AccessLevel.PUBLIC)
    return JsonResponse({"layers": [{"slug": lyr.slug, "title": lyr.title_tr} for lyr in layers]})
