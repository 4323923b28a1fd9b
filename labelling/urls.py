from django.urls import path, re_path

from labelling import views
from portal_lib.exports import FORMAT_PATTERN

app_name = "labelling"

urlpatterns = [
    path("private/labelling/", views.request_list, name="requests"),
    path("private/labelling/new/", views.request_create, name="request-create"),
    path("private/labelling/review/", views.review_queue, name="review-queue"),
    path("private/labelling/<int:pk>/", views.request_detail, name="request"),
    path("private/labelling/<int:pk>/edit/", views.request_edit, name="request-edit"),
    path("private/labelling/<int:pk>/delete/", views.request_delete, name="request-delete"),
    path("private/labelling/<int:pk>/results/", views.request_results, name="request-results"),
    path(
        "private/labelling/<int:pk>/attachments/<int:attachment_pk>/",
        views.attachment_download,
        name="attachment",
    ),
    path(
        "private/labelling/<int:pk>/attachments/<int:attachment_pk>/remove/",
        views.attachment_remove,
        name="attachment-remove",
    ),
    path(
        "private/labelling/<int:pk>/<slug:transition>/",
        views.request_transition,
        name="request-transition",
    ),
    path("labelled-projects/", views.labelled_project_list, name="projects"),
    re_path(
        rf"^labelled-projects/export\.(?P<file_format>{FORMAT_PATTERN})$",
        views.labelled_project_list,
        name="projects-export",
    ),
    path("labelled-projects/<slug:slug>/", views.labelled_project_detail, name="project"),
    path(
        "labelled-projects/<slug:slug>/files/<int:attachment_pk>/",
        views.labelled_project_file,
        name="project-file",
    ),
]
