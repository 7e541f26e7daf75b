"""Benchmarks and the synthetic-timeline generator; not part of the test suite."""
