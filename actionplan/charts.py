"""The framework coverage chart, drawn server-side as SVG.

Drawn with matplotlib's object API (a ``Figure`` of its own, no pyplot), so that it shares no
global state with the other apps' charts and needs no lock.
"""

import io

import matplotlib
from matplotlib.figure import Figure

BRAND = "#0b4f6c"
INK = "#1d2731"

# The same settings as the other charts of the portal: text as outlines (no font needed in a
# browser or a PDF), and the same figures draw the same bytes.
matplotlib.rcParams.update(
    {
        "svg.fonttype": "path",
        "font.family": "DejaVu Sans",
        "font.size": 10,
        "svg.hashsalt": "rabat-process",
    }
)


def stacked_bar_chart(labels, series):
    """An SVG chart with one horizontal bar per label, stacked from ``series`` (a list of
    ``(name, values)``), the total written at the end of each bar. Returns the SVG as text."""
    labels = [str(label) for label in labels]
    figure = Figure(figsize=(7, 0.4 * max(len(labels), 1) + 1.2))
    axes = figure.subplots()
    positions = list(range(len(labels)))
    left = [0] * len(labels)
    shades = [BRAND, "#c8553d", "#6b9080", "#8a6fb0"]
    for index, (name, values) in enumerate(series):
        axes.barh(
            positions, values, left=left, height=0.6, label=str(name), color=shades[index % 4]
        )
        left = [a + b for a, b in zip(left, values, strict=True)]
    for position, total in zip(positions, left, strict=True):
        axes.text(total, position, f" {total}", va="center", color=INK)
    axes.set_yticks(positions, labels=labels)
    axes.invert_yaxis()
    axes.spines[["top", "right"]].set_visible(False)
    axes.set_xlim(0, max([*left, 1]) * 1.15)
    axes.xaxis.set_visible(False)
    if len(series) > 1:
        axes.legend(loc="lower right", frameon=False)
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    return buffer.getvalue()


def framework_coverage_chart(rows, kinds):
    """Activities per framework item (``framework_coverage`` rows), one colour per kind."""
    labels = [row.item.label for row in rows]
    series = [(kind.label, [row.counts.get(kind.key, 0) for row in rows]) for kind in kinds]
    return stacked_bar_chart(labels, series)
