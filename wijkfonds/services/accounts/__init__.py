"""Accounts: registration, login, user administration."""
