"""Run the shim: python -m harness.dav <config.json> (see server.py)."""

from .server import main

main()
