"""iCalendar (RFC 5545) export of meetings, built with the icalendar library."""

import datetime

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from icalendar import Calendar, Event

from meetings.models import DatePrecision, Meeting


def _status(meeting):
    if meeting.status == Meeting.Status.CANCELLED:
        return "CANCELLED"
    if meeting.status == Meeting.Status.POSTPONED or meeting.date_precision != DatePrecision.DAY:
        return "TENTATIVE"
    return "CONFIRMED"


def meeting_event(meeting):
    """The VEVENT of a meeting, or None for a postponed meeting that has no date at all."""
    start, end = meeting.start_date, meeting.last_day
    status = _status(meeting)
    summary = meeting.title
    if start is None:
        changes = list(meeting.date_changes.all())
        if not changes:
            return None
        # Postponed to a date not yet known: the date it had is called off.
        last = changes[-1]
        start, end, status = (
            last.previous_start,
            last.previous_end or last.previous_start,
            "CANCELLED",
        )
    elif meeting.date_precision != DatePrecision.DAY:
        end = start
        summary = f"{meeting.title} ({meeting.dates_display})"
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


def ics_response(meetings, filename):
    """An ``text/calendar`` response with one event per meeting that has a date."""
    calendar = Calendar()
    calendar.add("prodid", "-//Rabat Process//Portal//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Rabat Process")
    for meeting in meetings:
        event = meeting_event(meeting)
        if event is not None:
            calendar.add_component(event)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
