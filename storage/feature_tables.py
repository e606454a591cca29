"""Imports every module that adds tables (and repositories) beside the core ones, so migrations and the store see them."""
import storage.account_links  # noqa: F401,E402  (account linking: issue 5)
import storage.schedule  # noqa: F401
import storage.quotas  # noqa: F401
import storage.scale  # noqa: E402,F401  (covering indexes, the leader lease)
