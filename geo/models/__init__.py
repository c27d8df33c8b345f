"""geo's models, one concept per module."""

from .agency import AgencyAccessLog, AgencyAccount, AgencyToken
from .feature import Feature, FeatureKey
from .history import Change
from .job import Job, JobSchedule
from .layer import AccessLevel, GeometryFamily, Layer, LayerGroup
from .permissions import LayerPermission, Right
from .tucbs import TucbsTheme
from .user_token import UserToken

__all__ = [
    "AccessLevel",
    "AgencyAccessLog",
    "AgencyAccount",
    "AgencyToken",
    "Change",
    "Feature",
    "FeatureKey",
    "GeometryFamily",
    "Job",
    "JobSchedule",
    "Layer",
    "LayerGroup",
    "LayerPermission",
    "Right",
    "TucbsTheme",
    "UserToken",
]
