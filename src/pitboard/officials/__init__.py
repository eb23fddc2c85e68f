"""Accounts and roles (issue 15): officials of series, editors and admins."""
