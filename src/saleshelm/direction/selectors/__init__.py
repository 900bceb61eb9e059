"""Reads of the direction app, always scoped by the actor."""
