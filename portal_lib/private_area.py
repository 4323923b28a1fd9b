"""The private area's shell, composed from what each app contributes.

Each app adds, in its ``AppConfig.ready()``, the links it puts in the private area's navigation
and the panels it puts on the dashboard; the composing layer renders them. So an app never names
the apps above it, and a new app joins the private area without editing the others.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.urls import reverse


@dataclass(frozen=True)
class Link:
    """A link of the private area's navigation, shown to those ``shown_to(user)`` admits."""

    label: str
    url_name: str
    shown_to: Callable
    order: int


@dataclass(frozen=True)
class Panel:
    """A panel of the dashboard: ``template`` rendered with ``context(request)``, which answers
    None when the panel has nothing for this person."""

    template: str
    context: Callable
    order: int


_links: dict[str, Link] = {}
_panels: dict[str, Panel] = {}


def add_link(link):
    # Keyed by URL name, so that ready() running twice (as in some test set-ups) adds nothing.
    _links[link.url_name] = link


def add_panel(panel):
    _panels[panel.template] = panel


def links_for(request):
    """``[(label, url, is_current)]`` of the links ``request.user`` may follow, in order."""
    return [
        (link.label, url, request.path == url)
        for link in sorted(_links.values(), key=lambda link: link.order)
        if link.shown_to(request.user)
        for url in [reverse(link.url_name)]
    ]


def panels_for(request):
    """The dashboard's panels for ``request.user``, rendered, in order."""
    rendered = []
    for panel in sorted(_panels.values(), key=lambda panel: panel.order):
        context = panel.context(request)
        if context is not None:
            rendered.append(render_to_string(panel.template, context, request=request))
    return rendered
