"""The contract of a layer source: what every kind of row store must tell the outlets.

After pygeoapi's provider base (one `get_fields()` every outlet asks) and Django's GIS backend
operations (the base declares, backends fill in): `geo` declares the contract here, the feature
store fills it in beside it (`store.py`), and typed models are filled in by `model.ModelSource`,
which each domain app registers for its own models in `AppConfig.ready()`. Outlets never look at a
source's model or table themselves; they ask the policy (`policy.published_fields`, `describe`).

A field is a JSON-schema fragment plus where its value lives: `column` (a table or view column),
`expr` (an SQL expression over alias `t`, for derived attributes), or neither (a key of the
source's JSONB columns). Two flags say what must never leave: `x-kent-personal` (personal data,
for no audience) and `x-kent-internal` (working fields, for staff only)."""

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from geo.models import Layer

PERSONAL = "x-kent-personal"
INTERNAL = "x-kent-internal"
Fields = dict[str, dict[str, Any]]


class NotPublishable(Exception):
    """The registry row points at something Kent never publishes."""


class SourceSpec:
    """One row store that layers may point at with `Layer.source` ('geo.Feature', 'app.Model')."""

    name: str = ""
    editing: Any = None  # the editor's backend (geo.editor.backends.EditingBackend) or None: read-only
    # Roles (geo.roles) whose holders edit every layer of this source without a grant: the register
    # office edits the register wherever its layers are (geo.services.permissions asks this).
    editor_roles: frozenset[str] = frozenset()

    def fields(self, layer: "Layer") -> Fields:
        """Every attribute the layer's rows hold, flagged personal or internal where they are."""
        raise NotImplementedError

    def provider(self, layer: "Layer") -> dict[str, Any]:
        """Where the rows are, as plain data: kind ('store', 'table', 'view'), table, id_column,
        geom_column, json_columns, the layer's scope (`layer_id`, `scope` pairs)."""
        raise NotImplementedError

    def time_field(self, layer: "Layer") -> str | None:
        return None


@dataclass(frozen=True)
class LiveView:
    """A view publishing a typed model with its live state: its own columns (name -> view column,
    JSON schema), JSONB columns whose keys are attributes too (the first holding a key gives its
    value), the time field, and a function of the layer giving the declared schema of those keys."""

    view: str
    columns: dict[str, tuple[str, dict[str, str]]]
    json_columns: tuple[str, ...]
    time_field: str | None
    declared: Any  # Callable[[Layer], dict]
