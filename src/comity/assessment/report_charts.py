"""Static charts for the annual assessment report, drawn with matplotlib as SVG.

The report must read the same on screen and on paper, and a PDF runs no JavaScript, so its charts
are drawn on the server (the interactive pages keep ECharts). Each chart is returned as a
``data:`` URI for an ``<img>``: an SVG loaded as an image runs no script, and the page's
Content-Security-Policy already allows ``data:`` images. Text reaches the SVG through matplotlib,
which escapes it. A chart is a pure function of its (public) inputs, so each is drawn once per
process and input: drawing is most of a report's cost.
"""

from __future__ import annotations

import base64
import io
from functools import lru_cache

import matplotlib

matplotlib.use("Agg")  # no display: render to files only (set before pyplot is imported)

import matplotlib.pyplot as plt

#: The report's palette: the banner blue for the subject, a red for guidelines and rivals.
BLUE, LIGHT_BLUE, RED = "#1f4e96", "#9fb3d1", "#c62828"


def _data_uri(figure: plt.Figure) -> str:
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": "comity"}):  # the same input draws the same SVG
        figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(figure)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue().encode()).decode()


@lru_cache(maxsize=64)
def bar_chart(labels: tuple[str, ...], values: tuple[float, ...], *, guideline: float | None, ylabel: str) -> str:
    """One bar per label (dark at or above the guideline, light below it), the guideline dashed."""
    figure, axes = plt.subplots(figsize=(8, 3))
    colours = [BLUE if guideline is None or value >= guideline else LIGHT_BLUE for value in values]
    axes.bar(range(len(values)), values, color=colours)
    axes.set_xticks(range(len(labels)), labels, rotation=90, fontsize=7)
    axes.set_ylabel(ylabel)
    if guideline is not None:
        axes.axhline(guideline, color=RED, linestyle="--", linewidth=1)
    axes.spines[["top", "right"]].set_visible(False)
    return _data_uri(figure)


@lru_cache(maxsize=64)
def line_chart(years: tuple[int, ...], lines: tuple[tuple[str, tuple[float | None, ...]], ...], *, ylabel: str) -> str:
    """One line per (name, values) over ``years``; a None is a gap, never a zero."""
    figure, axes = plt.subplots(figsize=(8, 3))
    for name, values in lines:
        axes.plot(
            years, [float("nan") if value is None else value for value in values], marker="o", markersize=3, label=name
        )
    axes.set_ylabel(ylabel)
    axes.legend(fontsize=7, frameon=False)
    axes.spines[["top", "right"]].set_visible(False)
    return _data_uri(figure)
