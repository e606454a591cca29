"""Imports every module that adds tables (and repositories) beside the core ones, so migrations and the store see them."""
import storage.quotas  # noqa: F401
