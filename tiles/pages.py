"""HTML pages of tiles: the public open-data page and the staff page that makes thematic maps."""

from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from geo.errors import KentError
from geo.models import AccessLevel, Layer
from geo.roles import is_staff_member

from .models import Imagery
from .thematic import METHODS, RAMPS, make_thematic, metric_for
from .thematic_print import export

DOWNLOADS = [("gpkg", "GeoPackage"), ("geojson", "GeoJSON"), ("csv", "CSV")]
THEMATIC_DIR = "thematic"
BUILTIN_METRICS = ["yapi_count", "kat_toplam", "kat_ortalama", "bagimsiz_bolum", "adres_count"]


@require_GET
def open_data(request: HttpRequest) -> HttpResponse:
    """Every public published layer with its metadata, downloads and OGC links, and the imagery."""
    layers = Layer.objects.filter(published=True, access_level=AccessLevel.PUBLIC).select_related("theme")
    rows = []
    for layer in layers:
        export_url = reverse("geo-layer-export", args=[layer.slug])
        rows.append({
            "layer": layer,
            "downloads": [(label, f"{export_url}?format={fmt}&crs=EPSG:4326") for fmt, label in DOWNLOADS],
            "ogc": f"/ogc/collections/{layer.slug}", "items": f"/ogc/collections/{layer.slug}/items",
            "mvt": f"/tiles/{layer.slug}/{{z}}/{{x}}/{{y}}.mvt",
            "png": f"/tiles/layers/{layer.slug}/{{z}}/{{x}}/{{y}}.png",
            "updated": layer.data_updated_at or layer.updated_at,
        })
    return render(request, "tiles/open_data.html", {
        "rows": rows, "imagery": Imagery.objects.filter(published=True),
        "wms": request.build_absolute_uri("/wms") + "?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetCapabilities",
    })


def _outputs(slug: str) -> dict[str, Path]:
    base = Path(settings.MEDIA_ROOT) / THEMATIC_DIR
    return {"png": base / f"{slug}.png", "pdf": base / f"{slug}.pdf"}


@require_http_methods(["GET", "POST"])
@login_required
def thematic_page(request: HttpRequest) -> HttpResponse:
    """A form to make a thematic map, and the maps made so far with their PNG/PDF."""
    if not is_staff_member(request.user):
        raise PermissionDenied
    error = ""
    form = {"metric": "yapi_count", "by": "mahalle", "method": "quantile", "ramp": "kirmizi", "cell": "250",
            "title": "", "public": ""}
    if request.method == "POST":
        form.update({k: request.POST.get(k, v).strip() for k, v in form.items()})
        try:
            tm = make_thematic(form["metric"], by=form["by"], method=form["method"], title=form["title"],
                               ramp=form["ramp"], cell_m=float(form["cell"] or 250), public=bool(form["public"]))
            files = _outputs(tm.layer.slug)
            export(tm, files["png"], files["pdf"])
            return redirect(f"{reverse('tiles-thematic')}?yapildi={tm.layer.slug}")
        except (KentError, ValueError) as e:
            error = getattr(e, "message", str(e))
    made = [{"layer": layer, "files": {fmt: p.exists() for fmt, p in _outputs(layer.slug).items()}}
            for layer in Layer.objects.filter(slug__startswith="tematik-").order_by("-data_updated_at")]
    metrics = [(key, metric_for(key).label) for key in BUILTIN_METRICS]
    return render(request, "tiles/thematic.html", {
        "form": form, "error": error, "made": made, "metrics": metrics, "methods": METHODS,
        "ramps": sorted(RAMPS), "done": request.GET.get("yapildi", ""),
    }, status=400 if error else 200)


@require_GET
def thematic_file(request: HttpRequest, slug: str, fmt: str) -> FileResponse:
    """A thematic map's print: anyone for a public layer, staff otherwise."""
    layer = Layer.objects.filter(slug=slug, slug__startswith="tematik-").first()
    path = _outputs(slug).get(fmt)
    if layer is None or path is None or not path.exists():
        raise Http404
    if not (layer.access_level == AccessLevel.PUBLIC and layer.published) and not is_staff_member(request.user):
        raise PermissionDenied
    content_type = "application/pdf" if fmt == "pdf" else "image/png"
    return FileResponse(open(path, "rb"), content_type=content_type, filename=f"{slug}.{fmt}")
