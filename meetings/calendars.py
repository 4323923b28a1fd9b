"""iCalendar (RFC 5545) export of meetings, built with the icalendar library."""

import datetime

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from icalendar import Calendar, Event

from meetings.models import DatePrecision, Meeting


def _status(meeting):
    """The meeting's status as its page gives it: held and planned meetings take place
    (CONFIRMED), a postponed one may move again (TENTATIVE), a cancelled one does not."""
    if meeting.status == Meeting.Status.CANCELLED:
        return "CANCELLED"
    if meeting.status == Meeting.Status.POSTPONED:
        return "TENTATIVE"
    return "CONFIRMED"


def has_exact_dates(meeting):
    """Whether the meeting can be put in a calendar: its days are known. A meeting known only to
    the month, quarter or year is left out rather than shown on a day it was not held."""
    if meeting.start_date is not None:
        return meeting.date_precision == DatePrecision.DAY
    last = _last_change(meeting)
    return last is not None and last.previous_precision == DatePrecision.DAY


def _last_change(meeting):
    changes = list(meeting.date_changes.all())
    return changes[-1] if changes else None


def meeting_event(meeting):
    """The VEVENT of a meeting, or None for a meeting whose days are not known."""
    if not has_exact_dates(meeting):
        return None
    start, end = meeting.start_date, meeting.last_day
    status = _status(meeting)
    summary = meeting.title
    if start is None:
        # Postponed to a date not yet known: the date it had is called off.
        last = _last_change(meeting)
        start, end, status = (
            last.previous_start,
            last.previous_end or last.previous_start,
            "CANCELLED",
        )
    event = Event()
    event.add("uid", f"meeting-{meeting.pk}@{settings.ICAL_UID_DOMAIN}")
    event.add("dtstamp", timezone.now())
    event.add("summary", str(summary))
    # All-day events: DTEND is exclusive, the day after the last day.
    event.add("dtstart", start)
    event.add("dtend", end + datetime.timedelta(days=1))
    event.add("status", status)
    event.add("last-modified", meeting.updated_at)
    event.add("categories", [str(meeting.get_kind_display())])
    if meeting.place_display:
        event.add("location", str(meeting.place_display))
    event.add("url", f"{settings.SITE_URL}{meeting.get_absolute_url()}")
    if meeting.status_reason:
        event.add("description", f"{meeting.get_status_display()}: {meeting.status_reason}")
    return event


def calendar_bytes(meetings, name="Rabat Process"):
    """An iCalendar file with one event per meeting whose days are known (an e-mail's .ics)."""
    calendar = Calendar()
    calendar.add("prodid", "-//Rabat Process//Portal//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", str(name))
    for meeting in meetings:
        event = meeting_event(meeting)
        if event is not None:
            calendar.add_component(event)
    return calendar.to_ical()


def ics_response(meetings, filename, name="Rabat Process", attachment=True):
    """A ``text/calendar`` response with one event per meeting whose days are known: a file
    to download (``attachment``), or a feed that calendar apps subscribe to and refresh."""
    response = HttpResponse(
        calendar_bytes(meetings, name), content_type="text/calendar; charset=utf-8"
    )
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response
