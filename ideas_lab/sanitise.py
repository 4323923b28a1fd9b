"""What survives of the text people type into the laboratory: HTML cleaned by nh3.

The description is formatted text: a short allow-list of tags, links limited to http, https and
mailto, and nothing that runs (no script, style, event attribute or iframe). Other fields are
plain text: every tag is removed, whatever way it was encoded.
"""

import html

import nh3

ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a", "blockquote", "h3", "h4"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "noopener noreferrer nofollow"
# Tags whose content is dropped with them: their text is code, not prose.
DROPPED_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "template", "noscript"}


def sanitise_html(value):
    """``value`` as formatted text that is safe to render: only the allowed tags and attributes,
    links with ``rel="noopener noreferrer nofollow"`` and a safe scheme."""
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


def plain_text(value):
    """``value`` without any tag, as plain text (Django escapes it when a page shows it).

    Entities are decoded and the text cleaned again until nothing changes, so a tag written
    as ``&lt;script&gt;`` does not survive either; ordinary characters (&, <, quotes) stay.
    """
    if not value:
        return ""
    text = value
    for _round in range(5):
        cleaned = html.unescape(
            nh3.clean(text, tags=set(), clean_content_tags=DROPPED_WITH_CONTENT)
        )
        if cleaned == text:
            break
        text = cleaned
    return text.strip()
