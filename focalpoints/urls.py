from django.urls import path

from focalpoints import views

app_name = "focalpoints"

urlpatterns = [
    path("invitations/<str:token>/", views.accept_invitation, name="invitation"),
    path("private/profile/", views.profile, name="profile"),
    path("private/focal-points/", views.directory, name="directory"),
]
