"""Access expectations of the map: outlines and plans as GeoJSON for anyone, outline uploads for staff."""

from . import ANYONE, STAFF

EXPECT = {
    "public.outlines_geojson": {"GET": ANYONE},
    "public.district_outline": {"GET": ANYONE},
    "public.plan_points": {"GET": ANYONE},
    "admin.outlines": {"GET": STAFF},
    "admin.edit_outline": {"GET": STAFF, "POST": STAFF},
    "admin.remove_outline": {"POST": STAFF},
}
