"""Import pycsw 2.6 next to OWSLib 0.36.

pycsw 2.6.2 (the newest release on PyPI) declares OWSLib<0.29 and resolves that pin through
pkg_resources when its package is imported, so the import fails beside the OWSLib Kent's clients
need. The parts Kent runs (server, filters, profiles) work with OWSLib 0.36; its SQLAlchemy
repository does not (SQLAlchemy 2 removed its session API), which is why Kent brings its own
Django repository (`ogc.csw.repository`). This module lends pycsw's `__init__` a pkg_resources that
only reports installed versions, for the duration of the import."""

import sys
import types
from importlib import metadata
from types import ModuleType, SimpleNamespace


def _version_only() -> ModuleType:
    module = types.ModuleType("pkg_resources")
    module.require = lambda name: [SimpleNamespace(version=metadata.version(name))]  # type: ignore[attr-defined]
    return module


def pycsw_server() -> ModuleType:
    """`pycsw.server`, imported once."""
    if "pycsw" not in sys.modules:
        saved = sys.modules.get("pkg_resources")
        sys.modules["pkg_resources"] = _version_only()
        try:
            import pycsw  # noqa: F401
        finally:
            if saved is None:
                del sys.modules["pkg_resources"]
            else:
                sys.modules["pkg_resources"] = saved
    from pycsw import server

    return server
