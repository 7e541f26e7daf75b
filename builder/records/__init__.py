"""Records: load events.yaml with positions, check it, and hold the checked timeline.

The lowest layer. It imports nothing else of the builder, never renders, and never
imports MkDocs.
"""
