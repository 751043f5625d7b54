"""Expected access per endpoint, one module per blueprint (``expect_<blueprint>.py``).

Each module defines ``EXPECT = {endpoint: {method: allowed roles}}`` with roles from
``ANYONE``, ``LOGGED_IN``, ``STAFF``, ``AUDITOR``, ``ADMIN`` below. The matrix test fails
for any route without an expectation, so a new route cannot skip its access rule.
"""

from __future__ import annotations

ROLES = ("anonymous", "resident", "staff", "auditor", "admin")
ANYONE = frozenset(ROLES)
LOGGED_IN = frozenset({"resident", "staff", "auditor", "admin"})
RESIDENT = frozenset({"resident", "admin"})
STAFF = frozenset({"staff", "admin"})
AUDITOR = frozenset({"auditor", "staff", "admin"})
ADMIN = frozenset({"admin"})
