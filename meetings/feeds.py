"""The Atom feed of meeting outcomes: held meetings and what they produced."""

import datetime

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from meetings.models import Meeting


class MeetingOutcomesFeed(Feed):
    feed_type = Atom1Feed
    title = _("Rabat Process: meeting outcomes")
    subtitle = _(
        "What the meetings of the Euro-African Dialogue on Migration and Development produced."
    )

    def link(self):
        return reverse("meetings:list")

    def items(self):
        return (
            Meeting.objects.held()
            .select_related("host_country")
            .prefetch_related("results")
            .order_by("-start_date")[:30]
        )

    def item_title(self, meeting):
        return f"{meeting.title} ({meeting.dates_display})"

    def item_description(self, meeting):
        parts = [meeting.objective] + [result.text for result in meeting.results.all()]
        return "\n\n".join(part for part in parts if part)

    def item_pubdate(self, meeting):
        day = meeting.last_day or meeting.created_at.date()
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))

    def item_updateddate(self, meeting):
        return meeting.updated_at

    def item_categories(self, meeting):
        return [meeting.get_kind_display()]
