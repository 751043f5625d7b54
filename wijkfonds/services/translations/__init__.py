"""Translations by hand: plans, needs and comments in the readers' languages (content.py)."""
