"""Which OGC feature collections can be written through Part 4 (ogc/writes.py): those whose layer
source has an editing backend. The OpenAPI document announces writes on these only."""

from typing import Any

from geo.editor.backends import backend_for
from geo.models import Layer


def editable(resources: dict[str, Any]) -> list[str]:
    """Feature collections of `resources` (pygeoapi's configuration) with an editing backend."""
    ids = {res["kent"]["layer_id"]: slug for slug, res in resources.items()
           if res.get("kent", {}).get("layer_id") is not None and res["providers"][0]["type"] == "feature"}
    return sorted(ids[layer.pk] for layer in Layer.objects.filter(pk__in=ids) if backend_for(layer) is not None)
