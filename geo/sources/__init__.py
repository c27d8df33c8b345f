"""Layer sources: one registry of where each layer's rows live, and one publication policy."""

from .base import INTERNAL, PERSONAL, LiveView, NotPublishable, SourceSpec
from .entries import is_personal
from .model import ModelSource
from .policy import (
    Audience,
    audience_of,
    describe,
    describe_cached,
    may_publish,
    published_fields,
    published_levels,
    shown_to,
    source_fields,
)
from .registry import register, registered, spec_for
from .store import FeatureStoreSource

__all__ = ["INTERNAL", "PERSONAL", "Audience", "FeatureStoreSource", "LiveView", "ModelSource", "NotPublishable",
           "SourceSpec", "audience_of", "describe", "describe_cached", "is_personal", "may_publish",
           "published_fields", "published_levels", "register", "registered", "shown_to", "source_fields",
           "spec_for"]
