"""SalesHelm: sales management built around the six key tasks of sales managers."""

__version__ = "0.1.0"
