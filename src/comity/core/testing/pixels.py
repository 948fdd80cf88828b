"""Reading the pixels of a Chromium screenshot in browser tests.

The screenshot PNG is decoded by the same browser (an ``<img>`` drawn on a canvas), so the tests
need no imaging library: what they measure is exactly what Playwright captured.
"""

from __future__ import annotations

import base64
import math
from typing import Any

#: For each pixel row of a rectangle of a PNG, the longest run of pixels unlike a background colour.
_LONGEST_RUNS = """async ([png, background, tolerance, box]) => {
  const image = new Image();
  image.src = "data:image/png;base64," + png;
  await image.decode();
  const canvas = document.createElement("canvas");
  canvas.width = image.width;
  canvas.height = image.height;
  const context = canvas.getContext("2d");
  context.drawImage(image, 0, 0);
  const [left, top, width, height] = box || [0, 0, image.width, image.height];
  const data = context.getImageData(left, top, width, height).data;
  const runs = [];
  for (let y = 0; y < height; y++) {
    let longest = 0, current = 0;
    for (let x = 0; x < width; x++) {
      const i = 4 * (y * width + x);
      const near = Math.abs(data[i] - background[0]) <= tolerance && Math.abs(data[i + 1] - background[1]) <= tolerance
        && Math.abs(data[i + 2] - background[2]) <= tolerance;
      current = near ? 0 : current + 1;
      longest = Math.max(longest, current);
    }
    runs.push(longest);
  }
  return runs;
}"""

#: Leaflet's Web Mercator tiles are 256 pixels wide at zoom 0.
TILE = 256


def mercator_pixel(latitude: float, longitude: float, zoom: int) -> tuple[float, float]:
    """A point's position in Leaflet's pixel space at ``zoom`` (EPSG:3857, as ``L.CRS.EPSG3857``)."""
    scale = TILE * 2**zoom
    y = math.log(math.tan(math.pi / 4 + math.radians(latitude) / 2))
    return (longitude + 180) / 360 * scale, (1 - y / math.pi) / 2 * scale


def map_box(
    size: tuple[float, float],
    centre: tuple[float, float],
    zoom: int,
    south_west: tuple[float, float],
    north_east: tuple[float, float],
    border: tuple[float, float] = (0, 0),
) -> list[int]:
    """The pixel rectangle ``[left, top, width, height]`` of a latitude/longitude box on a Leaflet
    map of ``size`` (its client area) shown at ``centre`` and ``zoom`` (its ``setView``), in the
    pixels of the element's screenshot, which has the element's ``border`` (left, top) around it."""
    cx, cy = mercator_pixel(*centre, zoom)
    x0, y1 = mercator_pixel(*south_west, zoom)
    x1, y0 = mercator_pixel(*north_east, zoom)
    left, top = border[0] + size[0] / 2 + x0 - cx, border[1] + size[1] / 2 + y0 - cy
    right, bottom = left + x1 - x0, top + y1 - y0
    # Only the part on the map, kept 2 pixels off its edge: the element's border is not the map,
    # and a box at a fractional position blends its neighbour into the screenshot's edge rows.
    left, top = max(left, border[0] + 2), max(top, border[1] + 2)
    right, bottom = min(right, border[0] + size[0] - 2), min(bottom, border[1] + size[1] - 2)
    return [round(left), round(top), round(right - left), round(bottom - top)]


def longest_runs(
    page: Any, png: bytes, background: tuple[int, int, int], box: list[int] | None = None, tolerance: int = 6
) -> list[int]:
    """Per pixel row of ``box`` (``[left, top, width, height]``, default the whole screenshot), the
    longest horizontal run of pixels that are not the ``background`` colour (within ``tolerance``
    per channel)."""
    return page.evaluate(_LONGEST_RUNS, [base64.b64encode(png).decode(), list(background), tolerance, box])
