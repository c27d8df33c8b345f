"""HTML pages of the editor: the map editor, the layer list and a layer's browsable history.

The pages hold no editing logic: the map talks to the JSON API (`geo.api.features`), and the
history page's "Geri al" button posts a plain form that goes through the same
`changes.revert_change` as the API, so it works without JavaScript and from the keyboard."""

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_POST

from geo.errors import KentError
from geo.models import Change, Layer, Right
from geo.services import permissions

from . import catalog, changes, mapbase

HISTORY_PAGE_SIZE = 25


def _ui_messages() -> dict[str, str]:
    """The script's texts, translated here so Turkish and English come from the same catalogue."""
    return {
        "pickLayer": _("Düzenlemek için bir katman seçin."),
        "editable": _("düzenlenebilir"),
        "readOnly": _("Bu katmanı yalnızca görüntüleyebilirsiniz; düzenleme yetkiniz yok."),
        "typedReadOnly": _("Bu katman tipli bir modelden gelir; düzenleyicide şimdilik salt okunurdur."),
        "drawHint": _("Haritaya tıklayarak çizin; bitirmek için ilk (ya da son) noktaya tıklayın."),
        "newFeature": _("Yeni detay: öznitelikleri doldurup kaydedin."),
        "featureTitle": _("Detay #{id} (sürüm {version})"),
        "newTitle": _("Yeni detay"),
        "created": _("Eklendi: detay #{id}."),
        "saved": _("Kaydedildi: detay #{id}, sürüm {version}."),
        "repaired": _("Geometri onarıldı: {reason}"),
        "deleted": _("Detay #{id} silindi."),
        "conflict": _("Güncel sürüm {current}, sizin düzenlediğiniz {yours}. Güncel hâli yükleyip yeniden deneyin."),
        "reload": _("Güncel hâli yükle"),
        "truncated": _("Bu görünümde çok fazla detay var; ilk {limit} tanesi gösteriliyor. Yakınlaşın."),
        "loadFailed": _("Detaylar yüklenemedi."),
        "badJson": _("'{name}' alanı geçerli JSON değil."),
        "badNumber": _("'{name}' alanı bir sayı olmalı."),
        "discard": _("Kaydedilmemiş değişiklikler kaybolacak. Devam edilsin mi?"),
        "confirmDelete": _("Detay #{id} silinsin mi?"),
        "geometryChanged": _("Geometri değişti; kaydetmeyi unutmayın."),
        "missing": _("Eksik zorunlu öznitelik"),
        "choose": _("— seçin —"),
        "http401": _("Oturumunuz sona ermiş olabilir; yeniden giriş yapın."),
        "http403": _("Bu işlem için yetkiniz yok."),
        "http404": _("Bulunamadı."),
        "http413": _("Gönderilen veri çok büyük."),
        "failed": _("İstek başarısız oldu"),
        "network": _("Sunucuya ulaşılamadı."),
    }


@login_required
@ensure_csrf_cookie
def editor(request: HttpRequest) -> HttpResponse:
    config: dict[str, Any] = {
        "lang": (get_language() or "tr")[:2],
        "map": mapbase.map_config(request),   # base map, imagery and the municipality's extent
        "layersUrl": reverse("geo-editor-layers"),
        "initialLayer": request.GET.get("katman", ""),
        "messages": _ui_messages(),
    }
    return render(request, "geo/editor.html", {"config": config})


@login_required
def layer_list(request: HttpRequest) -> HttpResponse:
    return render(request, "geo/layer_list.html", {"layers": catalog.visible_layers(request.user)})


def _viewable_layer(request: HttpRequest, slug: str) -> Layer:
    layer = get_object_or_404(Layer.objects.select_related("theme"), slug=slug)
    if not permissions.can(request.user, layer, Right.VIEW):
        raise PermissionDenied
    return layer


def _with_json(row: dict[str, Any]) -> dict[str, Any]:
    """Snapshots as readable JSON for the page's "before / after" disclosure."""
    for key in ("before", "after"):
        row[f"{key}_json"] = None if row[key] is None else json.dumps(row[key], ensure_ascii=False, indent=1)
    return row


@login_required
def layer_history(request: HttpRequest, slug: str) -> HttpResponse:
    layer = _viewable_layer(request, slug)
    page = changes.page_of(changes.layer_changes(layer), request.GET.get("page") or 1, HISTORY_PAGE_SIZE)
    return render(request, "geo/layer_history.html", {
        "layer": layer,
        "title": catalog.layer_title(layer),
        "page": page,
        "rows": [_with_json(changes.to_dict(c)) for c in page],
        "can_revert": permissions.can(request.user, layer, Right.EDIT_DATA),
    })


@login_required
@require_POST
def revert(request: HttpRequest, slug: str, change_id: int) -> HttpResponse:
    layer = _viewable_layer(request, slug)
    change = get_object_or_404(Change.objects.select_related("layer"), pk=change_id, layer=layer)
    try:
        done = changes.revert_change(change, request.user)
    except KentError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("Değişiklik #%(change)s geri alındı (yeni kayıt #%(new)s).")
                         % {"change": change.pk, "new": done.pk})
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("geo-layer-history-page", args=[slug])
    return HttpResponseRedirect(back)
