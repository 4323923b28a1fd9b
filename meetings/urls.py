from django.urls import path, re_path

from meetings import flow_views, views
from meetings.feeds import MeetingOutcomesFeed
from portal_lib.exports import FORMAT_PATTERN

app_name = "meetings"

urlpatterns = [
    path("meetings/", views.meeting_list, name="list"),
    # Each list's download: the page's own view, filters (its query string) and language.
    re_path(
        rf"^meetings/export\.(?P<file_format>{FORMAT_PATTERN})$",
        views.meeting_list,
        name="list-export",
    ),
    path("meetings/calendar.ics", views.calendar_ics, name="calendar-ics"),
    path("meetings/outcomes.atom", MeetingOutcomesFeed(), name="outcomes-feed"),
    path("meetings/coverage/", views.coverage, name="coverage"),
    re_path(
        rf"^meetings/coverage/export\.(?P<file_format>{FORMAT_PATTERN})$",
        views.coverage,
        name="coverage-export",
    ),
    path("meetings/coverage.svg", views.coverage_chart, name="coverage-chart"),
    path("meetings/<slug:slug>/", views.meeting_detail, name="detail"),
    path("meetings/<slug:slug>/calendar.ics", views.meeting_ics, name="meeting-ics"),
    path(
        "meetings/<slug:slug>/participation.svg",
        views.participation_chart,
        name="participation-chart",
    ),
    path("calendar/", views.calendar, name="calendar"),
    path("calendar/subscribe/", views.calendar_subscribe, name="calendar-subscribe"),
    path("documents/", views.document_list, name="documents"),
    re_path(
        rf"^documents/export\.(?P<file_format>{FORMAT_PATTERN})$",
        views.document_list,
        name="documents-export",
    ),
    path("documents/<int:pk>/", views.document_detail, name="document"),
    path("documents/<int:pk>/download/", views.document_download, name="document-download"),
    path("private/documents/", views.restricted_documents, name="restricted-documents"),
    path("private/reference-country/", views.reference_documents, name="reference-documents"),
    path("private/meetings/", flow_views.my_meetings, name="my-meetings"),
    path("private/meetings/<slug:slug>/delegation/", flow_views.delegation, name="delegation"),
    path("private/meetings/<slug:slug>/delegations/", flow_views.delegations, name="delegations"),
    path("private/meetings/<slug:slug>/check-in/", flow_views.check_in, name="check-in"),
    path(
        "private/meetings/<slug:slug>/participants.csv",
        flow_views.participants_csv,
        name="participants-csv",
    ),
    path(
        "private/meetings/<slug:slug>/participants.pdf",
        flow_views.participants_pdf,
        name="participants-pdf",
    ),
    path("private/meetings/<slug:slug>/badges.pdf", flow_views.badges_pdf, name="badges-pdf"),
    path(
        "private/meetings/<slug:slug>/evaluation.csv",
        flow_views.evaluation_csv,
        name="evaluation-csv",
    ),
    path("private/meetings/<slug:slug>/webinar/", flow_views.webinar, name="webinar"),
    path(
        "private/delegates/<int:pk>/invitation-letter.pdf",
        flow_views.visa_letter,
        name="visa-letter",
    ),
    # Personal links (signed): no account needed, never listed in a sitemap or feed.
    path("meetings/registration/<str:token>/", flow_views.register, name="register"),
    path("meetings/evaluation/<str:token>/", flow_views.evaluate, name="evaluate"),
]
