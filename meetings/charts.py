"""Charts drawn server-side with matplotlib as SVG, shared by the web pages and the PDF report."""

import io
import threading

import matplotlib

matplotlib.use("svg")  # no display, no GUI toolkit: the portal only writes SVG

from matplotlib import pyplot as plt

# pyplot keeps global state; two requests drawing at once in one process must take turns.
_drawing = threading.Lock()

BRAND = "#0b4f6c"
ACCENT = "#c8553d"
INK = "#1d2731"

plt.rcParams.update(
    {
        "svg.fonttype": "path",  # text as outlines: the SVG needs no font, in a browser or a PDF
        "font.family": "DejaVu Sans",
        "font.size": 10,
        "axes.edgecolor": "#d5dde3",
        "axes.labelcolor": INK,
        "xtick.color": INK,
        "ytick.color": INK,
        "svg.hashsalt": "rabat-process",  # the same figures draw the same bytes
    }
)


def _to_svg(figure):
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(figure)
    return buffer.getvalue()


def horizontal_bar_chart(labels, values, *, value_suffix="", title="", highlight=None, width=7):
    """An SVG bar chart, one horizontal bar per label with its value written at its end.

    ``highlight`` is a set of labels drawn in the accent colour; ``width`` is in inches (a
    narrower figure prints its text larger when scaled to the same column). Returns the SVG.
    """
    labels, values = list(labels), list(values)
    with _drawing:
        height = 0.45 * max(len(labels), 1) + 0.8
        figure, axes = plt.subplots(figsize=(width, height))
        colours = [ACCENT if highlight and label in highlight else BRAND for label in labels]
        positions = range(len(labels))
        bars = axes.barh(positions, values, color=colours, height=0.6)
        axes.set_yticks(list(positions), labels=[str(label) for label in labels])
        axes.invert_yaxis()
        axes.bar_label(bars, labels=[f"{v}{value_suffix}" for v in values], padding=3)
        axes.spines[["top", "right"]].set_visible(False)
        axes.set_xlim(0, max([*values, 1]) * 1.15)
        axes.xaxis.set_visible(False)
        if title:
            axes.set_title(str(title), loc="left", fontsize=11, color=INK)
        return _to_svg(figure)


def participation_chart(participation, width=7):
    """Participation of a meeting by profile: the counts where the report gives a breakdown,
    else the reported shares; None where it gives neither."""
    breakdown = participation.profile_breakdown
    if breakdown:
        labels, values = zip(*breakdown, strict=True)
        return horizontal_bar_chart(labels, values, width=width)
    shares = participation.profile_shares
    if shares:
        labels, values = zip(*shares, strict=True)
        return horizontal_bar_chart(labels, values, value_suffix=" %", width=width)
    return None


def coverage_chart(domains, width=7):
    """Held activities per domain (rows with ``activities``), every bar in one colour: a second
    colour would need a legend to say what it means."""
    from django.utils.translation import gettext

    labels = [gettext("Domain %(number)s") % {"number": domain.number} for domain in domains]
    values = [domain.activities for domain in domains]
    return horizontal_bar_chart(labels, values, width=width)


LIGHT = "#a9c6d3"  # BRAND, lighter: the rest of a whole in a stacked bar


def profiles_chart(meetings):
    """The share of participants with a technical profile at each meeting (``meetings`` with
    ``participation``), as stacked bars of 100 % with a legend; meetings without a known share
    are left out. Returns the SVG, or None when no meeting has a share."""
    from django.utils.translation import gettext

    rows = [
        (meeting, meeting.participation.technical_share)
        for meeting in meetings
        if meeting.participation.technical_share is not None
    ]
    if not rows:
        return None
    labels = [
        ", ".join(
            part
            for part in (
                str(meeting.city),
                str(meeting.start_date.year) if meeting.start_date else "",
            )
            if part
        )
        for meeting, _share in rows
    ]
    shares = [share for _meeting, share in rows]
    with _drawing:
        figure, axes = plt.subplots(figsize=(5.5, 0.45 * len(rows) + 1.2))
        positions = list(range(len(rows)))
        technical = axes.barh(
            positions, shares, color=BRAND, height=0.6, label=gettext("Technical profile")
        )
        other = axes.barh(
            positions,
            [100 - share for share in shares],
            left=shares,
            color=LIGHT,
            height=0.6,
            label=gettext("Other profiles"),
        )
        axes.bar_label(
            technical, labels=[f"{v} %" for v in shares], label_type="center", color="white"
        )
        axes.bar_label(
            other, labels=[f"{100 - v} %" for v in shares], label_type="center", color=INK
        )
        axes.set_yticks(positions, labels=labels)
        axes.invert_yaxis()
        axes.set_xlim(0, 100)
        axes.xaxis.set_visible(False)
        axes.spines[["top", "right", "bottom"]].set_visible(False)
        axes.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, frameon=False)
        return _to_svg(figure)
