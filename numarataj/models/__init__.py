"""The MAKS register, one module per level of the address."""

from .adres import Adres, BagimsizBolum
from .csbm import Csbm, CsbmTuru
from .idari import Il, Ilce, Mahalle
from .yapi import Yapi

__all__ = ["Adres", "BagimsizBolum", "Csbm", "CsbmTuru", "Il", "Ilce", "Mahalle", "Yapi"]
