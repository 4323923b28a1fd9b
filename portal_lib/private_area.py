"""The private area's shell, composed from what each app contributes.

Each app adds, in its ``AppConfig.ready()``, the links it puts in the private area's navigation
and the panels it puts on the dashboard; the composing layer renders them. So an app never names
the apps above it, and a new app joins the private area without editing the others.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone

from portal_lib import page_cache
from portal_lib.rows import address_pattern


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
    None when the panel has nothing for this person.

    With ``key``, the rendered panel is kept until the content changes (``page_cache``), the
    day ends, or the moment the context names as ``valid_until`` passes (a deadline after which
    the panel would show something else): ``key(request)`` names what else it depends on (the
    person, their partner; a constant for a panel the same for everyone). So such a panel may show
    only records whose changes bump the content version, and nothing of the request's own (no
    form with a CSRF token)."""

    template: str
    context: Callable
    order: int
    key: Callable | None = None


_links: dict[str, Link] = {}
_panels: dict[str, Panel] = {}


def add_link(link):
    # Keyed by URL name, so that ready() running twice (as in some test set-ups) adds nothing.
    _links[link.url_name] = link


def add_panel(panel):
    _panels[panel.template] = panel


def by_person(request):
    """``Panel.key`` for a panel of this person's own (their partner, their answers)."""
    return request.user.pk


def links_for(request):
    """``[(label, url, is_current)]`` of the links ``request.user`` may follow, in order."""
    return [
        (link.label, url, request.path == url)
        for link in sorted(_links.values(), key=lambda link: link.order)
        if link.shown_to(request.user)
        # Reversed once per language: a dozen on every private page were a tenth of a light one.
        for url in [address_pattern(link.url_name)]
    ]


def panels_for(request):
    """The dashboard's panels for ``request.user``, rendered, in order: those kept (see
    ``Panel.key``) read from the cache in one round trip, the others built."""
    panels = sorted(_panels.values(), key=lambda panel: panel.order)
    # The content version read once for all the panels' keys.
    prefix = page_cache.content_key("panel", timezone.localdate().isoformat())
    keys = {
        panel.template: f"{prefix}:{panel.template}:{panel.key(request)}"
        for panel in panels
        if panel.key is not None
    }
    kept = cache.get_many(list(keys.values())) if keys else {}
    now = timezone.now()
    rendered = []
    for panel in panels:
        key = keys.get(panel.template)
        html, valid_until = kept.get(key, (None, None))
        if html is None or (valid_until is not None and now >= valid_until):
            html = _render(panel, request, key)
        if html:
            rendered.append(html)
    return rendered


def _render(panel, request, key):
    """The panel's HTML ("" when it has nothing to show), kept under ``key`` if given, with
    the moment it stops being true (checked when read, so whatever the cache's clock)."""
    context = panel.context(request)
    valid_until = None
    if context is None:
        html = ""
    else:
        context = dict(context)
        valid_until = context.pop("valid_until", None)
        html = render_to_string(panel.template, context, request=request)
    if key:
        cache.set(key, (html, valid_until), page_cache.DEFAULT_TIMEOUT)
    return html
