from django.urls import path

from meetings import views
from meetings.feeds import MeetingOutcomesFeed

app_name = "meetings"

urlpatterns = [
    path("meetings/", views.meeting_list, name="list"),
    path("meetings/calendar.ics", views.calendar_ics, name="calendar-ics"),
    path("meetings/outcomes.atom", MeetingOutcomesFeed(), name="outcomes-feed"),
    path("meetings/coverage/", views.coverage, name="coverage"),
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
    path("documents/<int:pk>/", views.document_detail, name="document"),
    path("documents/<int:pk>/download/", views.document_download, name="document-download"),
    path("private/documents/", views.restricted_documents, name="restricted-documents"),
    path("private/reference-country/", views.reference_documents, name="reference-documents"),
]
