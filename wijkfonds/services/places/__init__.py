"""Places on the map: district outlines (GeoJSON from staff), a plan's point, plans as points.

``geometry`` (point in polygon) and ``geojson`` (reading an upload) are pure; ``outlines``
stores and serves the outlines; ``points`` checks a plan's point and lists plans as points.
"""
