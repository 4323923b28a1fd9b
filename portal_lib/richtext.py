"""Formatted text written in Markdown, rendered on the server and cleaned by nh3.

One way for every formatted field of the portal: people write Markdown (paragraphs, **bold**,
*italics*, lists, links, footnotes ``[^1]``), the server turns it into HTML and nh3 keeps only
the tags below, so whatever is typed (raw HTML included) can never run in a page or an e-mail.
Plain-text fields go through ``plain_text`` instead. A formatted field's form widget is
``MarkdownTextarea``: the field, a short syntax help and, on request, a preview.
"""

import html
import re
import threading
from html.parser import HTMLParser

import markdown
import nh3
from django import forms
from django.forms.utils import ErrorDict
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
# Tags whose content is dropped with them: their text is code, not prose.
DROPPED_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "template", "noscript"}
EXTENSIONS = ["footnotes", "sane_lists", "nl2br"]

# The name of the submit button that asks a form for a preview instead of saving it.
PREVIEW = "preview"


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


def plain_text(value):
    """``value`` without any tag, as plain text (Django escapes it when a page shows it).

    Entities are decoded and the text cleaned again until nothing changes, so a tag written
    as ``&lt;script&gt;`` does not survive either; ordinary characters (&, <, quotes) stay.
    Markdown survives it untouched: formatted fields store their Markdown through it too.
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


def render_markdown(text):
    """``text`` (Markdown) as safe HTML. Headings start at level 3, under the page's own
    heading; single line breaks are kept, as people expect from a text box.

    Text stored as HTML before the portal took Markdown renders safely too: Markdown passes
    block HTML through and nh3 keeps only the allowed tags."""
    if not text:
        return mark_safe("")
    html_text = _converter().reset().convert(_lists_after_a_line(text))
    # Markdown's # and ## would compete with the page's h1/h2: shift them under it.
    for level in (2, 1):
        html_text = html_text.replace(f"<h{level}>", f"<h{level + 2}>").replace(
            f"</h{level}>", f"</h{level + 2}>"
        )
    return SafeString(sanitise(html_text))


_converters = threading.local()


def _converter():
    """This thread's Markdown converter: building one (its extensions, their patterns) cost
    more than converting a short text, and a page may show many; ``reset()`` before each text
    clears what the previous one left (footnotes, abbreviations)."""
    converter = getattr(_converters, "markdown", None)
    if converter is None:
        converter = _converters.markdown = markdown.Markdown(
            extensions=EXTENSIONS, output_format="html"
        )
    return converter


_LIST_LINE = re.compile(r"^ {0,3}([-*+]|\d+\.) +\S")
_QUOTE_LINE = re.compile(r"^ {0,3}>")


def _lists_after_a_line(text):
    """``text`` with an empty line before a list or a quotation that follows a line of text.

    Markdown needs that empty line; people typing "Partners:" and then "- Senegal" on the next
    line expect a list, as in any text box, and would otherwise get one paragraph."""
    lines = text.replace("\r\n", "\n").split("\n")
    out = []
    for line in lines:
        previous = out[-1] if out else ""
        starts_block = _LIST_LINE.match(line) or _QUOTE_LINE.match(line)
        if (
            starts_block
            and previous.strip()
            and not _LIST_LINE.match(previous)
            and not _QUOTE_LINE.match(previous)
            and not previous.startswith((" ", "\t"))
        ):
            out.append("")
        out.append(line)
    return "\n".join(out)


# From HTML to Markdown ---------------------------------------------------------------------
# Formatted text used to be stored as sanitised HTML; the data migrations that turn it into
# Markdown use this. It knows the small set of tags that sanitising left (and a few synonyms).

_INLINE_MARKS = {"strong": "**", "b": "**", "em": "*", "i": "*", "code": "`"}
_BLOCK_TAGS = {"p", "div", "ul", "ol", "blockquote", "hr"} | {f"h{n}" for n in range(1, 7)}
_VOID_TAGS = {"br", "hr", "img", "input", "meta", "link", "wbr"}
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]])")
_LINE_START_SPECIAL = re.compile(r"^(\s*)([-+#>]|\d+\.)(?=\s|$)", re.MULTILINE)


class _Node:
    def __init__(self, tag, attrs=None):
        self.tag, self.attrs, self.children = tag, dict(attrs or {}), []


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = _Node("root")
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = _Node(tag, attrs)
        self.stack[-1].children.append(node)
        if tag not in _VOID_TAGS:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(_Node(tag, attrs))

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def _inline(nodes):
    out = []
    for node in nodes:
        if isinstance(node, str):
            out.append(_MARKDOWN_SPECIAL.sub(r"\\\1", re.sub(r"\s+", " ", node)))
        elif node.tag == "br":
            out.append("\n")
        elif node.tag in _INLINE_MARKS:
            inner = _inline(node.children).strip()
            mark = _INLINE_MARKS[node.tag]
            out.append(f"{mark}{inner}{mark}" if inner else "")
        elif node.tag == "a" and node.attrs.get("href"):
            title = node.attrs.get("title")
            title = f' "{title}"' if title else ""
            out.append(f"[{_inline(node.children).strip()}]({node.attrs['href']}{title})")
        else:
            out.append(_inline(node.children))
    # A line must not begin as a list, heading or quotation it was not.
    text = re.sub(r" *\n *", "\n", "".join(out))
    return _LINE_START_SPECIAL.sub(_escape_line_start, text)


def _escape_line_start(match):
    marker = match.group(2)
    escaped = marker[:-1] + "\\." if marker.endswith(".") else "\\" + marker
    return match.group(1) + escaped


def _blocks(nodes):
    blocks, run = [], []

    def flush():
        text = _inline(run).strip()
        if text:
            blocks.append(text)
        run.clear()

    for node in nodes:
        if isinstance(node, str) or node.tag not in _BLOCK_TAGS:
            run.append(node)
            continue
        flush()
        if node.tag in ("p", "div"):
            blocks.extend(_blocks(node.children))
        elif node.tag[0] == "h":
            # h3 and h4 stay as they are (render_markdown shifts only # and ##).
            level = max(3, int(node.tag[1]))
            blocks.append("#" * level + " " + _inline(node.children).strip().replace("\n", " "))
        elif node.tag in ("ul", "ol"):
            items = [child for child in node.children if not isinstance(child, str)]
            lines = []
            for number, item in enumerate(items, start=1):
                marker = f"{number}. " if node.tag == "ol" else "- "
                body = "\n".join(_blocks(item.children)) or ""
                # Four spaces: what Markdown needs for a nested list or a second paragraph.
                indented = body.replace("\n", "\n    ")
                lines.append(marker + indented)
            if lines:
                blocks.append("\n".join(lines))
        elif node.tag == "blockquote":
            inner = "\n\n".join(_blocks(node.children))
            blocks.append("\n".join(f"> {line}".rstrip() for line in inner.split("\n")))
        elif node.tag == "hr":
            blocks.append("---")
    flush()
    return blocks


def html_to_markdown(value):
    """``value`` (formatted text stored as HTML) as Markdown that ``render_markdown`` turns
    back into the same paragraphs, emphasis, lists, links, quotations and headings."""
    if not value or not value.strip():
        return ""
    builder = _TreeBuilder()
    builder.feed(sanitise(value))
    builder.close()
    return "\n\n".join(_blocks(builder.root.children)).strip()


# The form widget ---------------------------------------------------------------------------


class MarkdownTextarea(forms.Textarea):
    """A text box for Markdown, with a short syntax help and a "Preview" button that submits
    the form for a preview (the view answers with ``wants_preview``/``show_previews``)."""

    template_name = "portal_lib/widgets/markdown_textarea.html"
    preview = False

    def __init__(self, attrs=None):
        super().__init__({"rows": 8, **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["preview_button"] = PREVIEW
        # Only a box with text shows its preview: empty ones would only add noise.
        text = self.format_value(value) or ""
        context["widget"]["preview"] = self.preview and bool(text.strip())
        if context["widget"]["preview"]:
            context["widget"]["preview_html"] = render_markdown(text)
        return context


def wants_preview(request):
    """Whether the form was submitted with a "Preview" button rather than to be saved."""
    return request.method == "POST" and PREVIEW in request.POST


def show_previews(form):
    """Make every formatted field of ``form`` (bound) show its text rendered under it, and the
    form show no error: a preview checks nothing, as it saves nothing."""
    for field in form.fields.values():
        if isinstance(field.widget, MarkdownTextarea):
            field.widget.preview = True
    form._errors = ErrorDict()
    form.cleaned_data = {}
    return form
