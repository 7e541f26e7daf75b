"""Site: turn a checked timeline into pages and data files (pure: records in, text out).

Imports only the records layer (and lower layers); never MkDocs.
"""
