"""Publish: the MkDocs adapter (the plugin) and the atomic site build.

The only layer that imports MkDocs.
"""
