"""The engine's one exception type, in a module of its own so that every other module can import it."""

from __future__ import annotations

__all__ = ["AllocationError"]


class AllocationError(Exception):
    """A problem with an instance or profile that a user must fix (bad input, infeasible bounds)."""
