"""Access expectations of the auth blueprint and static files."""

from . import ANYONE, LOGGED_IN

EXPECT = {
    "static": {"GET": ANYONE},
    "auth.login": {"GET": ANYONE, "POST": ANYONE},
    "auth.register": {"GET": ANYONE, "POST": ANYONE},
    "auth.registered": {"GET": ANYONE},
    "auth.logout": {"POST": LOGGED_IN},
}

EXPECT.update(
    {
        "health.alive": {"GET": ANYONE},
        "health.database": {"GET": ANYONE},
    }
)
