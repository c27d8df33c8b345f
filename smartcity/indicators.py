"""The smart-city unit's indicators, each one SQL query over observations or latest states:
car park occupancy over time, containers by fill, signal uptime, stale sensors, open alerts.

Signal uptime is the share of a signal's readings in mode "normal" per hour — a fair stand-in for
time-weighted uptime when controllers report on a steady clock, and cheap to compute."""

from datetime import datetime, timedelta
from typing import Any

from django.db import connection
from django.utils import timezone

PARKING = """
WITH parks AS (
    SELECT a.id, a.asset_id, a.name FROM smartcity_asset a
    LEFT JOIN smartcity_observation o ON o.asset_id = a.id AND o.observed_at >= %(start)s
    WHERE a.kind_id = 'OffStreetParking'
    GROUP BY a.id ORDER BY count(o.*) DESC, a.asset_id LIMIT %(top)s
)
SELECT p.asset_id, p.name, date_bin(%(bucket)s, o.observed_at, %(start)s) AS t,
       avg(coalesce((o.data->>'occupancy')::float,
                    1 - (o.data->>'availableSpotNumber')::float / nullif((o.data->>'totalSpotNumber')::float, 0)))
FROM parks p JOIN smartcity_observation o ON o.asset_id = p.id
WHERE o.observed_at >= %(start)s AND o.observed_at < %(end)s
GROUP BY 1, 2, 3 ORDER BY 1, 3
"""

FILL = """
SELECT least(floor((s.state->>'fillingLevel')::float * 5), 4)::int AS bucket, count(*)
FROM smartcity_assetstate s JOIN smartcity_asset a ON a.id = s.asset_id
WHERE a.kind_id = 'WasteContainer' AND jsonb_typeof(s.state->'fillingLevel') = 'number'
GROUP BY 1 ORDER BY 1
"""

UPTIME = """
SELECT date_bin(%(bucket)s, o.observed_at, %(start)s) AS t, avg((o.data->>'mode' = 'normal')::int)
FROM smartcity_observation o JOIN smartcity_asset a ON a.id = o.asset_id
WHERE a.kind_id = 'TrafficSignal' AND o.observed_at >= %(start)s AND o.observed_at < %(end)s AND o.data ? 'mode'
GROUP BY 1 ORDER BY 1
"""

SIGNAL_MODES = """
SELECT coalesce(s.state->>'mode', 'unknown'), count(*)
FROM smartcity_asset a LEFT JOIN smartcity_assetstate s ON s.asset_id = a.id
WHERE a.kind_id = 'TrafficSignal' GROUP BY 1 ORDER BY 2 DESC
"""

STALE = """
SELECT a.kind_id, a.asset_id, a.name, s.observed_at, al.opened_at
FROM smartcity_alert al JOIN smartcity_alertrule r ON r.id = al.rule_id
JOIN smartcity_asset a ON a.id = al.asset_id LEFT JOIN smartcity_assetstate s ON s.asset_id = a.id
WHERE al.closed_at IS NULL AND r.stale_minutes IS NOT NULL
ORDER BY s.observed_at NULLS FIRST LIMIT %(top)s
"""

STALE_COUNTS = """
SELECT a.kind_id, count(*) FROM smartcity_alert al JOIN smartcity_alertrule r ON r.id = al.rule_id
JOIN smartcity_asset a ON a.id = al.asset_id
WHERE al.closed_at IS NULL AND r.stale_minutes IS NOT NULL GROUP BY 1 ORDER BY 1
"""

OPEN_ALERTS = """
SELECT r.kind_id, r.code, r.title_tr, r.severity, count(al.id)
FROM smartcity_alertrule r LEFT JOIN smartcity_alert al ON al.rule_id = r.id AND al.closed_at IS NULL
WHERE r.active GROUP BY r.id ORDER BY 5 DESC, 1, 2
"""

FILL_LABELS = ["0–20 %", "20–40 %", "40–60 %", "60–80 %", "80–100 %"]


def _rows(sql: str, params: dict[str, Any] | None = None) -> list[tuple]:
    with connection.cursor() as cur:
        cur.execute(sql, params or {})
        return cur.fetchall()


def bucket_for(hours: int) -> timedelta:
    """Time step of the series: 10 minutes for a day (a fresh system shows a line within the
    hour), coarser for longer spans so a chart stays at a few hundred points."""
    return timedelta(minutes=10) if hours <= 24 else timedelta(hours=1) if hours <= 24 * 7 else timedelta(hours=6)


def dashboard(hours: int = 24, top: int = 12, now: datetime | None = None) -> dict[str, Any]:
    """Everything the indicators page draws, as JSON-ready data."""
    end = now or timezone.now()
    params = {"start": end - timedelta(hours=hours), "end": end, "bucket": bucket_for(hours), "top": top}
    parks: dict[str, dict[str, Any]] = {}
    for asset_id, name, t, occ in _rows(PARKING, params):
        park = parks.setdefault(asset_id, {"assetId": asset_id, "name": name or asset_id, "points": []})
        if occ is not None:
            park["points"].append([t.isoformat(), round(occ, 4)])
    fill = dict(_rows(FILL))
    return {
        "generatedAt": end.isoformat(), "hours": hours,
        "parking": list(parks.values()),
        "containers": {"labels": FILL_LABELS, "counts": [fill.get(i, 0) for i in range(5)]},
        "signals": {"uptime": [[t.isoformat(), round(float(u), 4)] for t, u in _rows(UPTIME, params)],
                    "modes": dict(_rows(SIGNAL_MODES))},
        "stale": {"byKind": dict(_rows(STALE_COUNTS)),
                  "assets": [{"type": k, "assetId": a, "name": n, "observedAt": o.isoformat() if o else None,
                              "since": s.isoformat()} for k, a, n, o, s in _rows(STALE, params)]},
        "alerts": [{"type": k, "rule": c, "title": t, "severity": sev, "open": n}
                   for k, c, t, sev, n in _rows(OPEN_ALERTS)],
    }
