"""Rounds: reading and writing them, their checks, budgets, review and theme nominations."""
