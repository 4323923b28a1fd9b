"""Formatted text written in Markdown, rendered on the server and cleaned by nh3.

One way for every formatted field of the portal: people write Markdown (paragraphs, **bold**,
*italics*, lists, links, footnotes ``[^1]``), the server turns it into HTML and nh3 keeps only
the tags below, so whatever is typed (raw HTML included) can never run in a page or an e-mail.
"""

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "ul", "ol", "li", "a", "blockquote", "h3", "h4",
    "code", "sup", "div", "hr",
}  # fmt: skip
# Footnotes need ids for their links and a class for their list; nothing else carries either.
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "class"},
    "sup": {"id"},
    "li": {"id"},
    "div": {"class"},
}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "noopener noreferrer nofollow"
DROPPED_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "template", "noscript"}
EXTENSIONS = ["footnotes", "sane_lists", "nl2br"]


def sanitise(value):
    """``value`` (HTML) with only the allowed tags and attributes, links with a safe scheme and
    ``rel="noopener noreferrer nofollow"``."""
    if not value:
        return ""
    return nh3.clean(
        value,
        tags=ALLOWED_TAGS,
        clean_content_tags=DROPPED_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
    ).strip()


def render_markdown(text):
    """``text`` (Markdown) as safe HTML. Headings start at level 3, under the page's own
    heading; single line breaks are kept, as people expect from a text box."""
    if not text:
        return mark_safe("")
    html = markdown.markdown(
        text,
        extensions=EXTENSIONS,
        output_format="html",
    )
    # Markdown's # and ## would compete with the page's h1/h2: shift them under it.
    for level in (2, 1):
        html = html.replace(f"<h{level}>", f"<h{level + 2}>").replace(
            f"</h{level}>", f"</h{level + 2}>"
        )
    return SafeString(sanitise(html))
