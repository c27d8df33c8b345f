"""pycsw's repository over Kent's records table, through the Django ORM (pycsw's `repository.source`
plug-in point; its own SQLAlchemy repository needs SQLAlchemy 1.x). pycsw compiles OGC filters to
SQL on pycsw's column names with `%s` parameters (its 'django' mode); the ORM runs them. The
per-request filter (`repository.filter`) hides records the caller may not see, and links written
under `records.SITE` are made absolute for the host the request came to."""

from contextvars import ContextVar
from typing import Any

from django.db.models import Count, Max, Min, QuerySet

from ..models import CswRecord
from .records import SITE

# The site URL of the request being answered (set by the view around pycsw's dispatch).
serving_site: ContextVar[str] = ContextVar("kent_csw_site", default="")


def _absolute(record: CswRecord) -> CswRecord:
    site = serving_site.get()
    if site:
        for name in ("links", "xml", "source"):
            value = getattr(record, name)
            if value:
                setattr(record, name, value.replace(SITE, site))
    return record


class KentRepository:
    """The interface pycsw's CSW 2/3 handlers call (read-only: transactions are off)."""

    def __init__(self, context: Any, repo_filter: str | None = None) -> None:
        self.context = context
        self.filter = repo_filter
        self.fts = False
        self.dbtype = "postgresql+postgis+native"  # spatial filters as ST_ functions on wkb_geometry
        self.queryables: dict[str, dict[str, Any]] = {}
        for typename in context.model["typenames"].values():
            for name, queryable in typename["queryables"].items():
                self.queryables[name] = dict(queryable)
        flat: dict[str, Any] = {}
        for queryable in list(self.queryables.values()):
            flat.update(queryable)
        flat.update(context.md_core_model["mappings"])
        self.queryables["_all"] = flat

    def _rows(self) -> QuerySet:
        rows = CswRecord.objects.defer("wkb_geometry")
        return rows.extra(where=[self.filter]) if self.filter else rows

    def query_ids(self, ids: list[str]) -> list[CswRecord]:
        return [_absolute(r) for r in self._rows().filter(identifier__in=list(ids))]

    def query_domain(self, domain: str, typenames: Any, domainquerytype: str = "list",
                     count: bool = False) -> list[tuple[Any, ...]]:
        rows = self._rows()
        if domainquerytype == "range":
            return [tuple(rows.aggregate(Min(domain), Max(domain)).values())]
        if count:
            return [(d[domain], d["n"]) for d in rows.values(domain).annotate(n=Count(domain)).order_by(domain)]
        return list(rows.values_list(domain).distinct().order_by(domain))

    def query_insert(self, direction: str = "max") -> str | None:
        agg = Min if direction == "min" else Max
        return self._rows().aggregate(v=agg("insert_date"))["v"]

    def query_source(self, source: str) -> list[CswRecord]:
        return [_absolute(r) for r in self._rows().filter(source=source)]

    def query(self, constraint: dict[str, Any], sortby: dict[str, Any] | None = None, typenames: Any = None,
              maxrecords: int = 10, startposition: int = 0) -> list[Any]:
        """[total as text, the page of records]; pycsw pages with startposition (0-based here)."""
        rows = self._rows()
        if "where" in constraint:
            rows = rows.extra(where=[constraint["where"]], params=constraint["values"])
        total = rows.count()
        if sortby is not None and not sortby.get("spatial"):
            name = sortby["propertyname"]
            rows = rows.order_by(f"-{name}" if sortby.get("order") == "DESC" else name, "identifier")
        end = startposition + int(maxrecords)
        return [str(total), [_absolute(r) for r in rows[startposition:end]]]
