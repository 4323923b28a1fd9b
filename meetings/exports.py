"""The columns of the meetings list's, the document library's and the coverage table's
downloads (portal_lib.exports): what their pages show, one record a row."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from portal_lib.exports import Column, date_as_known, joined


def page(record):
    return f"{settings.SITE_URL}{record.get_absolute_url()}"


def figure(name):
    """A participation figure of the meeting; empty where the sources give none."""

    def value(meeting):
        participation = getattr(meeting, "participation", None)
        return getattr(participation, name) if participation is not None else None

    return value


def _technical_share(meeting):
    participation = getattr(meeting, "participation", None)
    return participation.technical_share if participation is not None else None


def action_numbers(record):
    """The numbers of the actions served, in the plan's order (uses prefetched actions)."""
    return joined(action.number for action in record.actions.all())


MEETING_COLUMNS = [
    Column(_("Title"), lambda m: m.title),
    Column(_("Kind"), lambda m: m.get_kind_display()),
    Column(_("Status"), lambda m: m.get_status_display()),
    Column(_("Reason"), lambda m: m.status_reason),
    Column(_("Dates"), lambda m: m.dates_display),
    Column(_("Start"), lambda m: date_as_known(m.start_date, m.date_precision)),
    Column(_("End"), lambda m: date_as_known(m.end_date, m.date_precision)),
    Column(_("Precision of the dates"), lambda m: m.get_date_precision_display()),
    Column(_("Format"), lambda m: m.get_format_display()),
    Column(_("City"), lambda m: m.city),
    Column(_("Host country"), lambda m: m.host_country.name if m.host_country_id else ""),
    Column(_("Domains"), lambda m: joined(domain.number for domain in m.domains)),
    Column(_("Actions"), action_numbers),
    Column(_("Participants"), figure("participants")),
    Column(_("Delegations"), figure("delegations")),
    Column(_("Partner countries"), figure("partner_countries")),
    Column(_("of which African"), figure("african_countries")),
    Column(_("of which European"), figure("european_countries")),
    Column(_("Organisations"), figure("organisations")),
    Column(_("Technical profile (%)"), _technical_share),
    Column(_("Page"), page),
]


def _download_link(document):
    url = document.get_download_url()
    if url and url.startswith("/"):
        return f"{settings.SITE_URL}{url}"
    return url


DOCUMENT_COLUMNS = [
    Column(_("Title"), lambda d: d.title),
    Column(_("Category"), lambda d: d.get_category_display()),
    Column(_("Kind"), lambda d: d.get_kind_display()),
    Column(_("Language"), lambda d: d.get_language_display()),
    Column(_("Date"), lambda d: getattr(d, "dated", d.published_on)),
    Column(_("Meetings"), lambda d: joined(meeting.title for meeting in d.meetings.all())),
    Column(_("Download"), _download_link),
    Column(_("Page"), page),
]


def _action_name(action):
    if action.title:
        return action.title
    return _("wording to be completed")


COVERAGE_COLUMNS = [
    Column(_("Domain"), lambda a: a.objective.domain.number),
    Column(_("Action"), lambda a: a.number),
    Column(_("Wording"), _action_name),
    Column(_("Activities"), lambda a: a.activities),
]
