"""sitemap.xml: every public page, in English and French (private documents never appear)."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from actionplan.models import Action, ActionPlan, Domain
from focalpoints.models import Partner
from labelling.models import LabellingRequest
from meetings.models import Document, Meeting


class PortalSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    limit = 5000


class StaticPagesSitemap(PortalSitemap):
    names = [
        "home",
        "actionplan:current-plan",
        "partner-list",
        "actionplan:reference-countries",
        "actionplan:recommendations",
        "meetings:list",
        "meetings:calendar",
        "meetings:documents",
        "meetings:coverage",
        "labelling:projects",
    ]

    def items(self):
        return self.names

    def location(self, name):
        return reverse(name)


class ActionPlanSitemap(PortalSitemap):
    def items(self):
        return ActionPlan.objects.order_by("pk")


class DomainSitemap(PortalSitemap):
    def items(self):
        return Domain.objects.select_related("plan").order_by("pk")


class ActionSitemap(PortalSitemap):
    def items(self):
        return Action.objects.select_related("plan").order_by("pk")


class PartnerSitemap(PortalSitemap):
    def items(self):
        return Partner.objects.order_by("pk")


class MeetingSitemap(PortalSitemap):
    def items(self):
        return Meeting.objects.order_by("pk")

    def lastmod(self, meeting):
        return meeting.updated_at


class DocumentSitemap(PortalSitemap):
    def items(self):
        return Document.objects.public().order_by("pk")

    def lastmod(self, document):
        return document.updated_at


class LabelledProjectSitemap(PortalSitemap):
    """Approved requests only: a draft, a request under review or a rejected one never appears."""

    def items(self):
        return LabellingRequest.objects.labelled().order_by("pk")

    def lastmod(self, project):
        return project.updated_at


SITEMAPS = {
    "pages": StaticPagesSitemap,
    "action-plans": ActionPlanSitemap,
    "domains": DomainSitemap,
    "actions": ActionSitemap,
    "partners": PartnerSitemap,
    "meetings": MeetingSitemap,
    "documents": DocumentSitemap,
    "labelled-projects": LabelledProjectSitemap,
}
