"""Imports every module that adds tables (and repositories) beside the core ones, so migrations and the store see them."""
import storage.schedule  # noqa: F401
