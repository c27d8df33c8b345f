"""geo's models, one concept per module."""

from .feature import Feature
from .history import Change
from .layer import AccessLevel, GeometryFamily, Layer, LayerGroup
from .permissions import LayerPermission, Right
from .tucbs import TucbsTheme

__all__ = [
    "AccessLevel",
    "Change",
    "Feature",
    "GeometryFamily",
    "Layer",
    "LayerGroup",
    "LayerPermission",
    "Right",
    "TucbsTheme",
]
