"""Markdown written in a formatted field comes out as clean HTML, and nothing that runs."""

import re

import pytest
from django import forms
from django.template import Context, Template

from portal_lib.richtext import (
    MarkdownTextarea,
    html_to_markdown,
    render_markdown,
    sanitise,
    show_previews,
)


def test_markdown_formats_paragraphs_emphasis_lists_and_line_breaks():
    html = render_markdown("**Context**: *why*\nsecond line\n\n- one\n- two\n\n1. first")
    assert "<strong>Context</strong>" in html
    assert "<em>why</em><br>" in html
    assert "<ul>\n<li>one</li>" in html
    assert "<ol>\n<li>first</li>" in html


def test_a_list_right_under_a_line_of_text_is_a_list():
    html = render_markdown("Partners:\n- Senegal\n- Spain\n\nSaid:\n> quoted\n\nText\n1. first")
    assert "<p>Partners:</p>\n<ul>\n<li>Senegal</li>\n<li>Spain</li>" in html
    assert "<blockquote>" in html and "<ol>\n<li>first</li>" in html
    assert "<p>a - b</p>" in render_markdown("a - b")


def test_headings_sit_under_the_page_heading():
    html = render_markdown("# Big\n\n## Smaller")
    assert "<h3>Big</h3>" in html and "<h4>Smaller</h4>" in html
    assert "<h1" not in html and "<h2" not in html


def test_footnotes_are_kept_with_their_links():
    html = render_markdown("A claim.[^1]\n\n[^1]: Its source.")
    assert 'href="#fn:1"' in html and 'id="fn:1"' in html and "Its source." in html


def test_nothing_that_runs_survives():
    html = render_markdown(
        "<script>alert(1)</script>[x](javascript:alert(2)) <img src=x onerror=alert(3)>"
        '<a href="https://example.org" onclick="evil()">ok</a>'
    )
    for bad in ("<script", "javascript:", "onerror", "onclick", "<img"):
        assert bad not in html
    assert 'href="https://example.org"' in html and 'rel="noopener noreferrer nofollow"' in html


def test_template_filter_and_empty_text():
    rendered = Template("{% load richtext %}{{ text|markdown }}").render(
        Context({"text": "*a* & <b>bold</b>"})
    )
    assert rendered == "<p><em>a</em> &amp; bold</p>"
    assert render_markdown("") == ""


def _tight(html):
    """HTML without the whitespace between tags and at line ends, to compare structure."""
    html = re.sub(r"\s*\n\s*", "\n", str(html)).replace("<br>\n", "<br>")
    return re.sub(r">\s+<", "><", html).strip()


@pytest.mark.parametrize(
    "stored",
    [
        "<p>Project proposal submitted by Côte d'Ivoire: a mapping of the diaspora.</p>",
        "<h3>Aim</h3><p>A <strong>pilot</strong> for <em>young</em> people,<br>in two regions.</p>"
        '<ul><li>one</li><li>two with <a href="https://example.org" title="t">a link</a></li></ul>'
        "<ol><li>first</li><li>second</li></ol><blockquote><p>Quoted</p></blockquote>"
        "<h4>Budget</h4><p>1. Not a list; *not* emphasis; [not] a link; # not a heading</p>",
        "<p>Line one\nstill the same line</p><ul><li><p>para item</p><ul><li>nested</li></ul></li>"
        "</ul>",
    ],
)
def test_html_stored_before_markdown_converts_to_markdown_that_renders_the_same(stored):
    markdown_text = html_to_markdown(stored)

    assert "<" not in markdown_text.replace("<br>", "")
    # HTML's line breaks in text are spaces; a list item's lone paragraph is its text.
    expected = sanitise(stored).replace("\n", " ").replace("<p>para item</p>", "para item")
    assert _tight(render_markdown(markdown_text)) == _tight(expected)


def test_html_conversion_drops_what_runs_and_keeps_empty_empty():
    assert html_to_markdown('<p>ok<script>alert(1)</script></p><img src=x onerror="y">') == "ok"
    assert html_to_markdown("") == "" and html_to_markdown("  ") == ""


def test_html_that_escaped_the_conversion_still_renders_safely():
    html = str(render_markdown('<p>Old <strong>text</strong></p><p onclick="x()">two</p>'))
    assert _tight(html) == "<p>Old <strong>text</strong></p><p>two</p>"


class Note(forms.Form):
    text = forms.CharField(widget=MarkdownTextarea)


def test_the_widget_offers_help_and_a_preview_button_and_previews_on_request():
    rendered = str(Note({"text": "**Context**"})["text"])
    assert "How to format the text" in rendered
    assert '<button type="submit" name="preview" value="text"' in rendered
    assert "<strong>Context</strong>" not in rendered

    previewed = str(show_previews(Note({"text": "**Context**\n- a\n- b"}))["text"])
    assert "<strong>Context</strong>" in previewed and "<li>a</li>" in previewed
    # The text stays in the box, as typed.
    assert ">\n**Context**\n- a\n- b</textarea>" in previewed
    assert str(Note()["text"]).count("markdown-preview") == 0
