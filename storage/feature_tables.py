"""Imports every module that adds tables (and repositories) beside the core ones, so migrations and the store see them."""
import storage.scale  # noqa: E402,F401  (covering indexes, the leader lease)
