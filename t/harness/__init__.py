"""Starts the real servers of the test and demo stack (see docs/testing.md)."""
