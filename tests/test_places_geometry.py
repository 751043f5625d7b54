"""Point in polygon (services/places/geometry.py): inside, outside, edges, vertices, holes."""

from __future__ import annotations

import pytest

from wijkfonds.services.places.geometry import (
    Bounds,
    bounds,
    contains,
    in_ring,
    on_segment,
    parse_bbox,
    polygon_contains,
    ring_area,
)

SQUARE = [(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0), (0.0, 0.0)]
HOLE = [(3.0, 3.0), (7.0, 3.0), (7.0, 7.0), (3.0, 7.0), (3.0, 3.0)]
ISLAND = [(4.0, 4.0), (6.0, 4.0), (6.0, 6.0), (4.0, 6.0), (4.0, 4.0)]  # inside the hole
FAR = [(20.0, 20.0), (25.0, 20.0), (25.0, 25.0), (20.0, 25.0), (20.0, 20.0)]
# A U: two arms joined at the bottom; the notch between the arms is outside.
U_SHAPE = [(0.0, 0.0), (9.0, 0.0), (9.0, 9.0), (6.0, 9.0), (6.0, 3.0), (3.0, 3.0), (3.0, 9.0), (0.0, 9.0), (0.0, 0.0)]
# The same square, listed clockwise (rings of either orientation work).
CLOCKWISE = list(reversed(SQUARE))


@pytest.mark.parametrize("point", [(5.0, 5.0), (0.001, 0.001), (9.999, 5.0), (1.0, 9.5)])
def test_points_inside_a_square(point) -> None:
    assert contains([[SQUARE]], point)
    assert contains([[CLOCKWISE]], point)


@pytest.mark.parametrize("point", [(-0.001, 5.0), (10.001, 5.0), (5.0, -3.0), (5.0, 10.5), (50.0, 50.0), (-1.0, -1.0)])
def test_points_outside_a_square(point) -> None:
    assert not contains([[SQUARE]], point)


@pytest.mark.parametrize("point", [(0.0, 5.0), (10.0, 5.0), (5.0, 0.0), (5.0, 10.0), (0.0, 0.0), (10.0, 10.0)])
def test_edges_and_vertices_count_as_inside(point) -> None:
    assert contains([[SQUARE]], point)


def test_the_edge_tolerance_is_tiny() -> None:
    """Within a millimetre of the edge counts; a metre (about 1e-5 degrees) outside does not."""
    assert contains([[SQUARE]], (10.0 + 5e-9, 5.0))
    assert not contains([[SQUARE]], (10.0 + 1e-5, 5.0))


def test_a_ray_through_a_vertex_counts_it_once() -> None:
    """The ray from (5, 5) to the east passes through the diamond's vertex (10, 5)."""
    diamond = [(5.0, 0.0), (10.0, 5.0), (5.0, 10.0), (0.0, 5.0), (5.0, 0.0)]
    assert contains([[diamond]], (5.0, 5.0))
    assert not contains([[diamond]], (-1.0, 5.0))  # its ray passes through two vertices
    assert not contains([[diamond]], (11.0, 5.0))


def test_a_ray_along_a_horizontal_edge() -> None:
    """Points level with the U's inner bottom edge (y = 3): in the arms inside, in the notch outside."""
    assert contains([[U_SHAPE]], (1.5, 3.0))
    assert contains([[U_SHAPE]], (7.5, 3.0))
    assert contains([[U_SHAPE]], (4.5, 3.0))  # on the notch's bottom edge: the outline
    assert not contains([[U_SHAPE]], (4.5, 6.0))  # in the notch
    assert contains([[U_SHAPE]], (4.5, 1.0))  # below the notch


def test_holes_are_outside_their_polygon() -> None:
    with_hole = [SQUARE, HOLE]
    assert polygon_contains(with_hole, (1.0, 1.0))
    assert not polygon_contains(with_hole, (5.0, 5.0))
    assert polygon_contains(with_hole, (3.0, 5.0))  # on the hole's edge: on the outline
    assert polygon_contains(with_hole, (8.0, 5.0))


def test_multipolygon_with_a_hole_and_an_island_in_it() -> None:
    """The hole of the first polygon is outside, unless a second polygon (an island) covers it."""
    shape = [[SQUARE, HOLE], [ISLAND], [FAR]]
    assert contains(shape, (1.0, 1.0))  # first polygon
    assert not contains(shape, (3.5, 3.5))  # in the hole, not on the island
    assert contains(shape, (5.0, 5.0))  # on the island in the hole
    assert contains(shape, (22.0, 22.0))  # the far polygon
    assert not contains(shape, (15.0, 15.0))  # between the polygons
    assert not contains([[SQUARE, HOLE], [FAR]], (5.0, 5.0))


def test_empty_shapes_contain_nothing() -> None:
    assert not contains([], (0.0, 0.0))
    assert not polygon_contains([], (0.0, 0.0))


def test_in_ring_leaves_edges_to_on_ring() -> None:
    """in_ring alone is plain ray casting; the edge rule lives in polygon_contains."""
    assert in_ring((5.0, 5.0), SQUARE)
    assert not in_ring((15.0, 5.0), SQUARE)


def test_on_segment() -> None:
    assert on_segment((5.0, 5.0), (0.0, 0.0), (10.0, 10.0))
    assert not on_segment((5.0, 5.1), (0.0, 0.0), (10.0, 10.0))
    assert not on_segment((11.0, 11.0), (0.0, 0.0), (10.0, 10.0))  # on the line, past the end
    assert on_segment((1.0, 1.0), (1.0, 1.0), (1.0, 1.0))  # a segment of length 0


def test_a_real_district_shape() -> None:
    """A rough outline of Oud-West (lon, lat): the Ten Katemarkt in, the Vondelpark and De Baarsjes out."""
    oud_west = [
        (4.8605, 52.3588),
        (4.8700, 52.3602),
        (4.8800, 52.3625),
        (4.8800, 52.3745),
        (4.8720, 52.3732),
        (4.8622, 52.3715),
        (4.8605, 52.3588),
    ]
    assert contains([[oud_west]], (4.8667, 52.3688))
    assert not contains([[oud_west]], (4.8680, 52.3580))
    assert not contains([[oud_west]], (4.8530, 52.3668))


def test_bounds_and_area() -> None:
    assert bounds([[SQUARE], [FAR]]) == Bounds(0.0, 0.0, 25.0, 25.0)
    assert ring_area(SQUARE) == 100.0
    assert ring_area(CLOCKWISE) == -100.0
    assert ring_area([(0.0, 0.0), (1.0, 1.0), (2.0, 2.0), (0.0, 0.0)]) == 0
    with pytest.raises(ValueError):
        bounds([])


def test_boxes() -> None:
    box = Bounds(4.8, 52.3, 4.9, 52.4)
    assert box.contains(4.85, 52.35) and box.contains(4.8, 52.4)
    assert not box.contains(52.35, 4.85)
    assert box.intersects(Bounds(4.89, 52.39, 5.0, 53.0))
    assert not box.intersects(Bounds(4.95, 52.3, 5.0, 52.4))


def test_parse_bbox() -> None:
    assert parse_bbox("4.825,52.353,4.895,52.398") == Bounds(4.825, 52.353, 4.895, 52.398)
    assert parse_bbox((1, 2, 3, 4)) == Bounds(1.0, 2.0, 3.0, 4.0)
    for bad in ("4.8,52.3,4.9", "4.9,52.3,4.8,52.4", "a,b,c,d", "0,100,1,101"):
        with pytest.raises(ValueError):
            parse_bbox(bad)
