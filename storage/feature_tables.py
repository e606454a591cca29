"""Imports every module that adds tables to the shared metadata, so migrations see them all."""
