"""What changed in the register since a moment, read from geo's history rows (every register
write records one): new rows, renumbered doors, renamed streets, other updates, removed rows."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from geo.models import Change

from .diff import CODE_FIELD, MODELS

LABELS = {model._meta.label: layer for layer, model in MODELS.items()}
YENI, NUMARA, AD, GUNCEL, SILINDI = "yeni", "numara_degisti", "ad_degisti", "guncellendi", "silindi"
RENAMING = ("ad", "numara", "tur")


@dataclass
class Changes:
    since: datetime
    kinds: dict[str, dict[int, str]] = field(default_factory=lambda: defaultdict(dict))  # layer -> pk -> kind
    removed: list[tuple[str, str]] = field(default_factory=list)  # (layer, code)

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = defaultdict(int)
        for kinds in self.kinds.values():
            for kind in kinds.values():
                out[kind] += 1
        out[SILINDI] += len(self.removed)
        return dict(out)


def since(moment: datetime) -> Changes:
    rows = (Change.objects.filter(model__in=list(LABELS), at__gt=moment).order_by("at", "id")
            .values_list("model", "object_id", "action", "before", "after"))
    first: dict[tuple[str, str], tuple] = {}
    last: dict[tuple[str, str], tuple] = {}
    for model, oid, action, before, after in rows.iterator():
        first.setdefault((model, oid), (action, before, after))
        last[(model, oid)] = (action, before, after)
    out = Changes(moment)
    for key, (action, before, _after) in first.items():
        layer = LABELS[key[0]]
        end_action, end_before, end_after = last[key]
        if end_action == Change.Action.DELETE:
            if action != Change.Action.CREATE:
                code = (before or end_before or {}).get(CODE_FIELD[layer]) or ""
                out.removed.append((layer, code))
            continue
        out.kinds[layer][int(key[1])] = YENI if action == Change.Action.CREATE else _kind(before or {}, end_after or {})
    return out


def _kind(before: dict, after: dict) -> str:
    if before.get("kapi_no", "") != after.get("kapi_no", ""):
        return NUMARA
    if any(before.get(f) != after.get(f) for f in RENAMING if f in before):
        return AD
    return GUNCEL
