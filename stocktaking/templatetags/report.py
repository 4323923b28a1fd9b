"""Tags of the stocktaking report's template (templates/stocktaking/report.html)."""

import re

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from stocktaking import printing

register = template.Library()


@register.filter
def report_markdown(text):
    """``{{ text|report_markdown }}``: Markdown as cleaned HTML, its footnotes as the PDF's."""
    return printing.report_markdown(text)


@register.filter
def footnote(text):
    """``{{ text|footnote }}``: ``text`` as a footnote at the foot of the page."""
    return printing.footnote(text)


@register.filter
def report_date(value, fmt="DATE_FORMAT"):
    """``{{ date|report_date }}``: "1 May 2018", "1er mai 2018"."""
    return printing.report_date(value, get_language(), fmt)


@register.filter
def unbroken_years(text):
    """``text`` with its year ranges ("2018–2020") kept on one line."""
    escaped = format_html("{}", text)
    return mark_safe(
        re.sub(r"(\d{4}\s*[–-]\s*\d{4})", r'<span class="nowrap">\1</span>', str(escaped))
    )


@register.filter
def get(mapping, key):
    """``{{ mapping|get:key }}``: a dictionary's value, or None."""
    return mapping.get(key) if mapping else None


@register.inclusion_tag("stocktaking/_placed.html", takes_context=True)
def placed(context, section, anchor):
    """The subsections and boxes of ``section`` placed at ``anchor`` (see services._placed)."""
    items = (context.get("placed") or {}).get(section, {}).get(anchor, [])
    return {"items": items, "preview": context.get("preview")}


@register.simple_tag(takes_context=True)
def heading(context, key, default):
    """The heading of section ``key``: the report's own, or ``default``."""
    section = (context.get("sections") or {}).get(key)
    return (section.heading if section and section.heading else "") or default
