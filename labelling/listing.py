"""The rows of the lists of labelling requests, built in Python once per list: the public
lists of labelled projects (the labelled projects' page, an action's and a partner's page) and
the private ones (the requests, the Secretariat's review queue).

Built in the template, each row looked up a dozen attributes, translated its labels, formatted
its dates twice, reversed its address and translated "Action N" once per action: most of the
list's time for twenty short lines.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.timesince import timesince
from django.utils.translation import gettext

from labelling.models import LabellingRequest, State
from portal_lib import page_cache
from portal_lib.rows import address_pattern


@dataclass(frozen=True)
class ProjectRow:
    """What one line of a list shows of a labelled project."""

    url: str
    title: str
    kind: str
    dates: str
    lead_partner: str
    actions: str


def project_rows(projects):
    """A ``ProjectRow`` for each of ``projects`` (fetched with ``for_public_list``), in order,
    in the active language."""
    numbers = action_numbers()
    detail = address_pattern("labelling:project", "slug")
    # Translated once per list, not once per row or per action.
    kinds = {value: str(label) for value, label in LabellingRequest.Kind.choices}
    action = gettext("Action %(number)s")
    return [
        ProjectRow(
            url=detail.format(slug=project.slug),
            title=project.title,
            kind=kinds.get(project.kind, project.kind),
            dates=project.dates_display,
            lead_partner=str(project.lead_partner),
            actions=", ".join(action % {"number": n} for n in numbers.get(project.pk, ())),
        )
        for project in projects
    ]


def action_numbers():
    """{request's key: the numbers of the actions it implements, in order}, for every request:
    kept until the content changes, so a list's rows read their numbers without a query."""
    return page_cache.cached_for_content("labelling-action-numbers", _action_numbers)


def _action_numbers():
    numbers = {}
    for request_id, number in LabellingRequest.actions.through.objects.order_by(
        "action__number"
    ).values_list("labellingrequest_id", "action__number"):
        numbers.setdefault(request_id, []).append(number)
    return numbers


@dataclass(frozen=True)
class RequestRow:
    """What one line of a private list shows of a labelling request. Its dates are formatted
    when the list shows them (each list shows one of them)."""

    url: str
    title: str
    kind: str
    state: str
    state_label: str
    lead_partner: str
    updated_at: datetime.datetime
    submitted_at: datetime.datetime | None
    # From the review queue's fetch (``for_review_queue``): sent back for changes before, and
    # the applicant's last reply (its first thirty words); and its actions' domains by number.
    resubmitted: bool = False
    last_reply: str = ""
    domains: str = ""

    @property
    def updated(self):
        """When it last changed, as a date in the active language's format."""
        return date_format(timezone.localtime(self.updated_at), "DATE_FORMAT")

    @property
    def submitted(self):
        """When it was last submitted, in ISO 8601 (as ``<time datetime>`` takes it)."""
        if not self.submitted_at:
            return ""
        return timezone.localtime(self.submitted_at).strftime("%Y-%m-%dT%H:%M:%S%z")

    @property
    def waiting(self):
        """How long ago it was last submitted ("3 days ago")."""
        if not self.submitted_at:
            return ""
        return gettext("%(age)s ago") % {"age": timesince(self.submitted_at)}


def request_rows(requests, with_domains=False):
    """A ``RequestRow`` for each of ``requests`` (fetched with ``for_private_list`` or
    ``for_review_queue``), in order, in the active language; with ``with_domains``, with the
    numbers of their actions' domains."""
    domains = domain_numbers() if with_domains else {}
    detail = address_pattern("labelling:request", "pk")
    kinds = {value: str(label) for value, label in LabellingRequest.Kind.choices}
    states = {value: str(label) for value, label in State.choices}
    rows = []
    for request in requests:
        reply = getattr(request, "last_reply", None) or ""
        rows.append(
            RequestRow(
                url=detail.format(pk=request.pk),
                title=request.title,
                kind=kinds.get(request.kind, request.kind),
                state=request.state,
                state_label=states.get(request.state, request.state),
                lead_partner=str(request.lead_partner),
                updated_at=request.updated_at,
                submitted_at=request.submitted_at,
                resubmitted=getattr(request, "resubmitted", False),
                last_reply=Truncator(reply).words(30, truncate=" …") if reply else "",
                domains=", ".join(str(number) for number in domains.get(request.pk, ())),
            )
        )
    return rows


def domain_numbers():
    """{request's key: the numbers of its actions' domains, in order, each once}, for every
    request: kept until the content changes, as ``action_numbers``."""
    return page_cache.cached_for_content("labelling-domain-numbers", _domain_numbers)


def _domain_numbers():
    numbers = {}
    for request_id, _plan, number in (
        LabellingRequest.actions.through.objects.values_list(
            "labellingrequest_id",
            "action__objective__domain__plan_id",
            "action__objective__domain__number",
        )
        .distinct()
        .order_by("action__objective__domain__plan_id", "action__objective__domain__number")
    ):
        numbers.setdefault(request_id, []).append(number)
    return numbers
