"""Point in polygon by ray casting, on GeoJSON's (longitude, latitude) pairs: pure Python.

A district is small (a few km), so its outline is treated as flat: a straight line between
two positions, in degrees. A point *on* an edge counts as inside, so that a plan on the
street that separates two districts may belong to either. Holes (a polygon's second and
later rings) are not part of it; a point on a hole's edge is on the outline, so inside.

Chosen over shapely: outlines have at most some thousands of positions and are checked
once per submitted plan, which this does in well under a millisecond; it needs no compiled
dependency, and its rules for edges are ours, written down here and tested.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

Position = tuple[float, float]  # (longitude, latitude), GeoJSON's order
Ring = Sequence[Position]  # closed: the last position repeats the first
Polygon = Sequence[Ring]  # the outer ring, then its holes
MultiPolygon = Sequence[Polygon]

# Tolerance for "on the edge", in degrees: about a millimetre. It absorbs the rounding of
# coordinates that were typed or stored as decimals, nothing a person could see.
EDGE_TOLERANCE = 1e-8


@dataclass(frozen=True)
class Bounds:
    """A bounding box in degrees."""

    west: float
    south: float
    east: float
    north: float

    def contains(self, lon: float, lat: float) -> bool:
        """True when (lon, lat) lies in the box, its edges included."""
        return self.west <= lon <= self.east and self.south <= lat <= self.north

    def intersects(self, other: Bounds) -> bool:
        """True when the two boxes share at least one point."""
        return not (
            other.west > self.east or other.east < self.west or other.south > self.north or other.north < self.south
        )


def bounds(shape: MultiPolygon) -> Bounds:
    """The bounding box of every position of ``shape`` (which must have one)."""
    lons = [p[0] for polygon in shape for ring in polygon for p in ring]
    lats = [p[1] for polygon in shape for ring in polygon for p in ring]
    if not lons:
        raise ValueError("a shape without positions has no bounds")
    return Bounds(min(lons), min(lats), max(lons), max(lats))


def on_segment(point: Position, a: Position, b: Position, tolerance: float = EDGE_TOLERANCE) -> bool:
    """True when ``point`` lies on the straight segment from ``a`` to ``b`` (within ``tolerance``)."""
    (x, y), (ax, ay), (bx, by) = point, a, b
    if not (min(ax, bx) - tolerance <= x <= max(ax, bx) + tolerance):
        return False
    if not (min(ay, by) - tolerance <= y <= max(ay, by) + tolerance):
        return False
    dx, dy = bx - ax, by - ay
    length = math.hypot(dx, dy)
    if length == 0:
        return abs(x - ax) <= tolerance and abs(y - ay) <= tolerance
    # Distance from the point to the line through a and b: |cross product| / length.
    return abs(dx * (y - ay) - dy * (x - ax)) / length <= tolerance


def on_ring(point: Position, ring: Ring) -> bool:
    """True when ``point`` lies on one of the ring's edges."""
    return any(on_segment(point, ring[i - 1], ring[i]) for i in range(1, len(ring)))


def in_ring(point: Position, ring: Ring) -> bool:
    """Ray casting: True when ``point`` lies strictly inside the closed ``ring`` (edges undecided).

    A ray from the point towards +longitude crosses the ring's edges; an odd number of
    crossings means inside. An edge counts when one end lies above the point and the other
    on or below it, so a ray through a vertex counts that vertex once, and horizontal edges
    never count. Callers check the edges with :func:`on_ring` first.
    """
    x, y = point
    inside = False
    for i in range(1, len(ring)):
        (xi, yi), (xj, yj) = ring[i - 1], ring[i]
        if (yi > y) != (yj > y):
            crossing = xi + (y - yi) * (xj - xi) / (yj - yi)
            if x < crossing:
                inside = not inside
    return inside


def polygon_contains(polygon: Polygon, point: Position) -> bool:
    """True when ``point`` lies in the polygon: inside or on its outer ring, and in none of its holes."""
    if not polygon:
        return False
    outer, holes = polygon[0], polygon[1:]
    if any(on_ring(point, ring) for ring in polygon):
        return True
    return in_ring(point, outer) and not any(in_ring(point, hole) for hole in holes)


def contains(shape: MultiPolygon, point: Position) -> bool:
    """True when ``point`` (lon, lat) lies in one of the polygons of ``shape``, edges included."""
    return any(polygon_contains(polygon, point) for polygon in shape)


def ring_area(ring: Ring) -> float:
    """The ring's signed area in square degrees (shoelace formula; positive when counter-clockwise)."""
    return sum(ring[i - 1][0] * ring[i][1] - ring[i][0] * ring[i - 1][1] for i in range(1, len(ring))) / 2


def parse_bbox(value: str | Sequence[float]) -> Bounds:
    """A box from "west,south,east,north" (GeoJSON's bbox order) or four numbers; ValueError otherwise."""
    parts = value.split(",") if isinstance(value, str) else list(value)
    if len(parts) != 4:
        raise ValueError(f"a bounding box needs four numbers (west,south,east,north), not {value!r}")
    west, south, east, north = (float(p) for p in parts)
    box = Bounds(west, south, east, north)
    if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
        raise ValueError(f"not a bounding box in degrees (west < east, south < north): {value!r}")
    return box
