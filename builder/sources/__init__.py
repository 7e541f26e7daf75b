"""Sources: what the records rest on, checked against the world.

Stored copies of sources and the quotes verified against them, the HTTP client every
command that goes on the network shares, link checks and archiving. Imports only the records
layer; never renders and never imports MkDocs.
"""
