"""Access expectations of the public blueprint (home, initiative page, language, favicon)."""

from . import ANYONE

EXPECT = {
    "public.index": {"GET": ANYONE},
    "public.detail": {"GET": ANYONE},
    "public.set_language": {"GET": ANYONE},
    "public.favicon": {"GET": ANYONE},
}
