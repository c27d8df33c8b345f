"""Admin for the register; each part registers its own models in its module."""

from . import documents, matching, naming, register, register_io  # noqa: F401
