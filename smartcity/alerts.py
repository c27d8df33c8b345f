"""Alert rules at work: after each batch, the assets whose latest state moved forward are checked
against their kind's rules; an alert opens when a rule starts to hold and closes by itself when
it stops (with hysteresis where a clause has "clear"), at most one open per asset and rule (a
partial unique index, so concurrent workers cannot open twins). Staleness cannot be seen from a
reading — it is the absence of one — so check_stale runs on a clock (the worker loop, or
`manage.py check_stale` from cron)."""

import operator
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from smartcity.ingest.messages import AssetRef
from smartcity.models import Alert, AlertRule

OPS: dict[str, Callable[[Any, Any], bool]] = {
    "gte": operator.ge, "gt": operator.gt, "lte": operator.le, "lt": operator.lt,
    "eq": operator.eq, "in": lambda value, allowed: value in allowed,
}
ORDERED = {"gte", "gt", "lte", "lt"}


@dataclass(slots=True)
class StateChange:
    asset: AssetRef
    observed_at: datetime
    state: dict[str, Any]


def _number(value: Any) -> float | None:
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _clause_holds(clause: dict[str, Any], state: dict[str, Any], is_open: bool, override: float | None) -> bool:
    value = state.get(clause.get("attribute", ""))
    op = OPS.get(clause.get("op", ""))
    if value is None or op is None:
        return False
    ref = clause.get("value") if override is None else override
    if is_open and clause.get("op") in ORDERED and _number(clause.get("clear")) is not None:
        clear = clause["clear"]
        ref = min(clear, ref) if clause["op"].startswith("g") else max(clear, ref)
    try:
        return bool(op(value, ref))
    except TypeError:
        return False


def fires(rule: AlertRule, state: dict[str, Any], attributes: dict[str, Any], is_open: bool) -> bool:
    """Whether a condition rule holds for this state; an open alert is held by its "clear" values."""
    override = _number(attributes.get(rule.threshold_attribute)) if rule.threshold_attribute else None
    return any(_clause_holds(c, state, is_open, override if i == 0 else None)
               for i, c in enumerate(rule.conditions or []))


def _values(rule: AlertRule, state: dict[str, Any]) -> dict[str, Any]:
    return {c["attribute"]: state.get(c["attribute"]) for c in rule.conditions or [] if "attribute" in c}


def rules_by_kind() -> dict[str, list[AlertRule]]:
    out: dict[str, list[AlertRule]] = defaultdict(list)
    for rule in AlertRule.objects.filter(active=True):
        out[rule.kind_id].append(rule)
    return out


def evaluate(changes: list[StateChange], now: datetime | None = None) -> tuple[int, int]:
    """Open and close alerts for assets whose state just moved forward; (opened, closed)."""
    if not changes:
        return 0, 0
    now = now or timezone.now()
    rules = rules_by_kind()
    open_alerts = {(a, r): pk for pk, a, r in Alert.objects.filter(
        closed_at__isnull=True, asset_id__in=[c.asset.pk for c in changes]).values_list("pk", "asset_id", "rule_id")}
    to_open: list[Alert] = []
    to_close: list[int] = []
    for c in changes:
        for rule in rules.get(c.asset.kind, ()):
            alert_pk = open_alerts.get((c.asset.pk, rule.pk))
            if rule.stale_minutes is not None:
                if alert_pk and c.observed_at >= now - timedelta(minutes=rule.stale_minutes):
                    to_close.append(alert_pk)
                continue
            firing = fires(rule, c.state, c.asset.attributes, alert_pk is not None)
            if firing and alert_pk is None:
                to_open.append(Alert(rule=rule, asset_id=c.asset.pk, opened_at=now, observed_at=c.observed_at,
                                     values=_values(rule, c.state)))
            elif alert_pk is not None and not firing:
                to_close.append(alert_pk)
    opened = len(Alert.objects.bulk_create(to_open, ignore_conflicts=True)) if to_open else 0
    closed = Alert.objects.filter(pk__in=to_close, closed_at__isnull=True).update(closed_at=now) if to_close else 0
    return opened, closed


OPEN_STALE = """
INSERT INTO smartcity_alert (rule_id, asset_id, opened_at, observed_at, "values")
SELECT r.id, s.asset_id, %(now)s, s.observed_at,
       jsonb_build_object('silentMinutes', floor(extract(epoch FROM %(now)s - s.observed_at) / 60))
FROM smartcity_assetstate s
JOIN smartcity_asset a ON a.id = s.asset_id
JOIN smartcity_alertrule r ON r.kind_id = a.kind_id AND r.active AND r.stale_minutes IS NOT NULL
WHERE s.observed_at < %(now)s - r.stale_minutes * interval '1 minute'
ON CONFLICT DO NOTHING
"""

CLOSE_STALE = """
UPDATE smartcity_alert al SET closed_at = %(now)s
FROM smartcity_alertrule r, smartcity_assetstate s
WHERE al.closed_at IS NULL AND al.rule_id = r.id AND r.stale_minutes IS NOT NULL
  AND s.asset_id = al.asset_id
  AND (NOT r.active OR s.observed_at >= %(now)s - r.stale_minutes * interval '1 minute')
"""


def check_stale(now: datetime | None = None) -> tuple[int, int]:
    """Open a stale alert for each asset silent longer than its kind's rule allows, close the ones
    that spoke again; (opened, closed). Assets that never reported are not sensors yet, not stale."""
    params = {"now": now or timezone.now()}
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(OPEN_STALE, params)
        opened = cur.rowcount
        cur.execute(CLOSE_STALE, params)
        return opened, cur.rowcount


def acknowledge(alert: Alert, user: Any) -> Alert:
    """Record who saw the alert and when; the first acknowledgement stands."""
    if alert.acknowledged_at is None:
        alert.acknowledged_by = user if getattr(user, "is_authenticated", False) else None
        alert.acknowledged_at = timezone.now()
        alert.save(update_fields=["acknowledged_by", "acknowledged_at"])
    return alert
