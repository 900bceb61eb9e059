"""Writes of the performance app: ``services.targets`` and ``services.forecasts``."""
