"""Residents' participation: initiatives and support, comments and moderation."""
