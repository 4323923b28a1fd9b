"""Markdown written in a formatted field comes out as clean HTML, and nothing that runs."""

from django.template import Context, Template

from portal_lib.richtext import render_markdown


def test_markdown_formats_paragraphs_emphasis_lists_and_line_breaks():
    html = render_markdown("**Context**: *why*\nsecond line\n\n- one\n- two\n\n1. first")
    assert "<strong>Context</strong>" in html
    assert "<em>why</em><br>" in html
    assert "<ul>\n<li>one</li>" in html
    assert "<ol>\n<li>first</li>" in html


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
