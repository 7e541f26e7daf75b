"""Editing: change summaries, new events, and the pull request checks rehearsed.

Works on events.yaml as text, leaving every byte it does not change as it was.
"""
