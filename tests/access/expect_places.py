"""Access expectations of the map: outlines, plans and tiles for anyone, outline uploads for staff."""

from . import ANYONE, STAFF

EXPECT = {
    "public.outlines_geojson": {"GET": ANYONE},
    "public.district_outline": {"GET": ANYONE},
    "public.plan_points": {"GET": ANYONE},
    "public.map_tile": {"GET": ANYONE},
    "admin.outlines": {"GET": STAFF},
    "admin.edit_outline": {"GET": STAFF, "POST": STAFF},
    "admin.remove_outline": {"POST": STAFF},
}


def world(values: dict[str, object]) -> dict[str, object]:
    """The tile route's coordinates (tests are offline: a 404, never a request upstream)."""
    return {"z": 0, "x": 0, "y": 0}
