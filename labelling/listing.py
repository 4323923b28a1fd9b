"""The rows of the public lists of labelled projects (the labelled projects' page, an action's
and a partner's page), built in Python once per list.

Built in the template, each row looked up a dozen attributes, translated its label, formatted
its dates twice, reversed its address and translated "Action N" once per action: most of the
list's time for twenty short lines.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext

from labelling.models import LabellingRequest


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
    projects = list(projects)
    numbers = action_numbers([project.pk for project in projects])
    # Reversed once: a slug needs no quoting, so each row's address is the same with its slug.
    placeholder = "slug-placeholder"
    detail = reverse("labelling:project", kwargs={"slug": placeholder})
    # Translated once per list, not once per row or per action.
    kinds = {value: str(label) for value, label in LabellingRequest.Kind.choices}
    action = gettext("Action %(number)s")
    return [
        ProjectRow(
            url=detail.replace(placeholder, project.slug),
            title=project.title,
            kind=kinds.get(project.kind, project.kind),
            dates=project.dates_display,
            lead_partner=str(project.lead_partner),
            actions=", ".join(action % {"number": n} for n in numbers.get(project.pk, ())),
        )
        for project in projects
    ]


def action_numbers(keys):
    """{request's key: the numbers of the actions it implements, in order} for the requests of
    ``keys``, in one query: the numbers alone, not the actions as records."""
    numbers = {}
    for request_id, number in (
        LabellingRequest.actions.through.objects.filter(labellingrequest_id__in=keys)
        .order_by("action__number")
        .values_list("labellingrequest_id", "action__number")
    ):
        numbers.setdefault(request_id, []).append(number)
    return numbers
