"""orderctl: keep an online buyer in control of orders, parcels, inspections and disputes."""

__version__ = "0.1.0"
