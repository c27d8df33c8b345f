"""smartcity's job kinds: observation day partitions made ahead, and old ones dropped."""

from typing import Any

from geo import jobs
from geo.models import Job
from smartcity import conf, partitions


@jobs.register("observation_partitions", title="Gözlem bölümleri (Observation partitions ahead)", atomic=False)
def observation_partitions(job: Job, *, ahead: int = 7, back: int = 1) -> dict[str, Any]:
    partitions.ensure_ahead(days_ahead=ahead, days_back=back)
    days = [day.isoformat() for _, day in partitions.existing()]
    jobs.log(job, f"{len(days)} gün bölümü var: {days[0] if days else '—'} … {days[-1] if days else '—'}. "
                  f"(Day partitions.)")
    return {"partitions": len(days), "first": days[0] if days else None, "last": days[-1] if days else None}


@jobs.register("prune_observations", title="Eski gözlemlerin budanması (Prune old observations)", atomic=False)
def prune_observations(job: Job, *, days: int | None = None) -> dict[str, Any]:
    """Each partition is dropped in its own transaction; dropping one is instant and whole."""
    retention = days if days is not None else conf.get("KENT_OBSERVATION_RETENTION_DAYS")
    dropped = partitions.prune(retention)
    jobs.log(job, f"Saklama {retention} gün: {len(dropped)} bölüm silindi. (Partitions dropped.) {' '.join(dropped)}")
    return {"retention_days": retention, "dropped": dropped}
