"""The MAKS register, one module per concept. Each module lists its models in __all__."""

from .adres import Adres, BagimsizBolum
from .csbm import Csbm, CsbmTuru
from .documents import *  # noqa: F403 - cards, tariffs, accruals, address-determination requests
from .idari import Il, Ilce, Mahalle
from .naming import *  # noqa: F403 - street-naming decisions and name history
from .numbering import *  # noqa: F403 - numbering plans and door-number history
from .register_io import *  # noqa: F403 - import/export mapping profiles and the export log
from .yapi import Yapi

__all__ = ["Adres", "BagimsizBolum", "Csbm", "CsbmTuru", "Il", "Ilce", "Mahalle", "Yapi"]  # noqa: F405
