from django import template

from portal_lib.richtext import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    """``{{ text|markdown }}``: the Markdown text as HTML cleaned by nh3."""
    return render_markdown(text)
