"""Sourced timelines: check hand-curated YAML records and publish them as a site."""

__version__ = "0.1.0"
