"""The catalogue's items request (OGC API Records) checked by Kent before pygeoapi sees it, as a
feature collection's is (`params.parse_items`): an unknown parameter is a 400, and a CQL2 filter
(`filter=` or a CQL2 JSON body sent with POST) is parsed by the same `params.parse_filter` and
compiled by `record_filter`. pygeoapi parses filters only as CQL2 text and hands record providers
a tree they would have to trust, so the filter never reaches it: the compiled predicate travels to
`KentRecordsProvider.query` in a context variable, like `provider.returned_count` travels back."""

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar

from . import crs as ogc_crs
from .http import FILTER_PARAMS
from .params import filter_text, parse_filter, refuse_unknown
from .record_filter import FIELDS, Predicate, compile_record_filter

ITEMS_PARAMS = {"f", "lang", "token", "limit", "offset", "bbox", "datetime", "q", "sortby", "properties",
                "skipGeometry", "resulttype", *FILTER_PARAMS}
ITEM_PARAMS = {"f", "lang", "token"}

# The filter of the request being answered, for the records provider (None: no filter).
active_filter: ContextVar[Predicate | None] = ContextVar("kent_catalogue_filter", default=None)


def parse(params: Mapping[str, str], body: bytes | None) -> Predicate | None:
    """The request's record filter, or a 400 naming the parameter at fault."""
    refuse_unknown(params, ITEMS_PARAMS, FIELDS)
    text, lang = filter_text(params, body)
    if text is None:
        return None
    return compile_record_filter(parse_filter(text, lang), ogc_crs.parse(params.get("filter-crs"), "filter-crs"))


@contextmanager
def filtering(params: Mapping[str, str], body: bytes | None) -> Iterator[None]:
    """Parse the request (400s raised here) and make its filter the provider's while inside."""
    token = active_filter.set(parse(params, body))
    try:
        yield
    finally:
        active_filter.reset(token)
