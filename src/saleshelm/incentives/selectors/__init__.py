"""Reads of the incentives app, scoped by the actor."""
