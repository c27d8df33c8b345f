"""Job kinds: a short name → the function that does the work, declared by the app that owns it.

Each app declares its kinds in its own `tasks.py` with `@register(...)`; geo finds them by
autodiscovery (as the admin finds `admin.py`), so geo imports no other app and a new kind is a
declaration, not a new branch here."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.module_loading import autodiscover_modules

from geo.errors import InvalidInput

JobFunction = Callable[..., dict[str, Any] | None]


@dataclass(frozen=True)
class JobKind:
    name: str
    title: str  # Turkish first, English after; may use {param} placeholders
    func: JobFunction  # func(job, **params) -> report dict (or None)
    atomic: bool = True  # run the whole job in one transaction (False: the function commits its own steps)


_kinds: dict[str, JobKind] = {}
_loaded = False


def register(name: str, *, title: str, atomic: bool = True) -> Callable[[JobFunction], JobFunction]:
    def decorate(func: JobFunction) -> JobFunction:
        _kinds[name] = JobKind(name, title, func, atomic)
        return func
    return decorate


def load() -> None:
    """Import every installed app's tasks.py once, so their kinds are declared."""
    global _loaded
    if not _loaded:
        autodiscover_modules("tasks")
        _loaded = True


def get(name: str) -> JobKind:
    load()
    try:
        return _kinds[name]
    except KeyError:
        raise InvalidInput(f"Bilinmeyen iş türü: {name}. (Unknown job kind.)", kind=name) from None


def names() -> list[str]:
    load()
    return sorted(_kinds)
