"""What the printed report needs beyond the portal's HTML: Markdown footnotes as WeasyPrint
footnotes, French typography, and dates written as a French or English publication writes them."""

import re

from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import mark_safe

from portal_lib.richtext import render_markdown

NBSP = "\u00a0"
NARROW_NBSP = "\u202f"

# Python-Markdown's footnotes, once nh3 has cleaned them: the reference in the text, and the
# list of definitions at the end.
_REFERENCE = re.compile(
    r'<sup id="fnref\d*:(?P<key>[^"]+)"><a[^>]*href="#fn:(?P=key)"[^>]*>[^<]*</a></sup>'
)
_DEFINITIONS = re.compile(r'<div class="footnote">.*?</div>', re.DOTALL)
_DEFINITION = re.compile(r'<li id="fn:(?P<key>[^"]+)">(?P<text>.*?)</li>', re.DOTALL)
_BACKLINK = re.compile(r'\s*<a[^>]*class="footnote-backref"[^>]*>.*?</a>', re.DOTALL)


def inline_footnotes(html):
    """``html`` (from ``render_markdown``) with each footnote's text moved to where it is
    referenced, as ``<span class="footnote">``: WeasyPrint floats it to the page's foot
    (``float: footnote``) and numbers it with the document's other footnotes."""
    block = _DEFINITIONS.search(html)
    if not block:
        return html
    notes = {}
    for match in _DEFINITION.finditer(block.group(0)):
        text = _BACKLINK.sub("", match.group("text")).strip()
        text = re.sub(r"(&nbsp;|&#160;|\u00a0)+(?=</p>|$)", "", text)
        # A footnote is one paragraph in the flow of its sentence.
        text = re.sub(r"</p>\s*<p>", " ", text)
        text = re.sub(r"</?p>", "", text).strip()
        notes[match.group("key")] = text
    html = html[: block.start()] + html[block.end() :]
    return _REFERENCE.sub(
        lambda match: f'<span class="footnote">{notes.get(match.group("key"), "")}</span>', html
    ).strip()


def report_markdown(text):
    """Markdown ``text`` as cleaned HTML, its footnotes at the foot of the page."""
    return mark_safe(inline_footnotes(str(render_markdown(text))))


def footnote(text):
    """A footnote holding plain ``text`` (e.g. the source of a meeting's reaction)."""
    return mark_safe(f'<span class="footnote">{escape(text)}</span>') if text else ""


FRENCH_MONTHS = (
    "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
)
_FIRST_OF_MONTH = re.compile(rf"(?<![\d.,])1 (?=(?:{FRENCH_MONTHS})\b)")
_TAG_OR_TEXT = re.compile(r"(<[^>]+>)")
_BEFORE_PUNCTUATION = re.compile(r"[ \u00a0\u202f]+([:;!?])")
# Punctuation glued to a word ("Objectif: …", "pourquoi?") gets its space too, when a space
# or the end follows: "https://…" and "14:00" are left alone.
_GLUED_PUNCTUATION = re.compile(r"(?<=[^\s\d(«\u00a0\u202f])([:;!?])(?=\s|$)")
_ENTITY = re.compile(r"(&#?[0-9a-zA-Z]+;)")
_AFTER_OPENING_GUILLEMET = re.compile(r"«[ \u00a0\u202f]*")
_BEFORE_CLOSING_GUILLEMET = re.compile(r"[ \u00a0\u202f]*»")


def french_text(text):
    """French typography on plain text: "1er" for the first of a month, a no-break space
    before : and a narrow one before ; ! ?, no-break spaces inside « »."""
    pieces = _ENTITY.split(text)
    for index in range(0, len(pieces), 2):  # the odd pieces are entities (&amp;, &#x27;)
        piece = _FIRST_OF_MONTH.sub("1er ", pieces[index])
        piece = _GLUED_PUNCTUATION.sub(r" \1", piece)
        piece = _BEFORE_PUNCTUATION.sub(
            lambda m: (NBSP if m.group(1) == ":" else NARROW_NBSP) + m.group(1), piece
        )
        piece = _AFTER_OPENING_GUILLEMET.sub("«" + NBSP, piece)
        pieces[index] = _BEFORE_CLOSING_GUILLEMET.sub(NBSP + "»", piece)
    return "".join(pieces)


def french_typography(html):
    """``html`` with ``french_text`` applied to its text, never to its tags or stylesheet.
    Only an existing space becomes a no-break space, so "https://" is left alone."""
    # nh3 writes no-break spaces as entities: as characters, the rules see them as spaces.
    html = html.replace("&nbsp;", NBSP).replace("&#160;", NBSP)
    parts = _TAG_OR_TEXT.split(html)
    in_raw = False
    for index, part in enumerate(parts):
        if part.startswith("<"):
            name = part[1:].split()[0].rstrip(">").lower() if len(part) > 2 else ""
            if name in ("style", "script"):
                in_raw = True
            elif name in ("/style", "/script"):
                in_raw = False
            continue
        if part and not in_raw:
            parts[index] = french_text(part)
    return "".join(parts)


def report_date(value, language, fmt="DATE_FORMAT"):
    """A date as the report writes it: "1 May 2018", "1er mai 2018"."""
    if value is None:
        return ""
    text = date_format(value, fmt)
    return french_text(text) if language == "fr" else text
