"""Shared test configuration. Keep it small: a fixture used by one test file belongs in that
file; the fixtures for built sites and browsers live in tests/support/fixtures.py."""
