"""The columns of the labelled projects' download (portal_lib.exports): what the list shows."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from portal_lib.exports import Column, joined


def _partners(name):
    def value(project):
        return joined(partner.name for partner in getattr(project, name).all())

    return value


def _domains(project):
    numbers = sorted({action.objective.domain.number for action in project.actions.all()})
    return joined(numbers)


PROJECT_COLUMNS = [
    Column(_("Title"), lambda p: p.title),
    Column(_("Type"), lambda p: p.get_kind_display()),
    Column(_("Lead partner"), lambda p: p.lead_partner.name if p.lead_partner_id else ""),
    Column(_("Co-implementing partners"), _partners("co_implementing_partners")),
    Column(_("Funding partners"), _partners("funding_partners")),
    Column(_("Countries"), _partners("countries")),
    Column(_("Domains"), _domains),
    Column(_("Actions"), lambda p: joined(action.number for action in p.actions.all())),
    Column(_("Start"), lambda p: p.start_date),
    Column(_("End"), lambda p: p.end_date),
    Column(_("Labelled on"), lambda p: p.decided_at.date() if p.decided_at else None),
    Column(_("Page"), lambda p: f"{settings.SITE_URL}{p.get_absolute_url()}"),
]
