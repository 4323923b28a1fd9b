from django.urls import path

from ideas_lab import views

app_name = "ideas"

urlpatterns = [
    path("private/ideas/", views.home, name="home"),
    path("private/ideas/new/", views.create, name="create"),
    path("private/ideas/<int:pk>/", views.detail, name="detail"),
    path("private/ideas/<int:pk>/edit/", views.edit, name="edit"),
    path("private/ideas/<int:pk>/comments/", views.comment, name="comment"),
    path(
        "private/ideas/<int:pk>/comments/<int:comment_pk>/hide/",
        views.hide_comment,
        name="hide-comment",
    ),
    path("private/ideas/<int:pk>/interest/", views.interest, name="interest"),
    path("private/ideas/<int:pk>/status/", views.status, name="status"),
    path("private/ideas/<int:pk>/follow/", views.follow, name="follow"),
    path(
        "private/ideas/<int:pk>/attachments/<int:attachment_pk>/",
        views.attachment,
        name="attachment",
    ),
]

# Outside the language prefix: a mail provider posts here, not a person.
inbound_urlpatterns = [
    path("ideas/inbound-email/", views.inbound_email, name="ideas-inbound-email"),
]
