"""Test doubles and drivers shared by the suite."""
