from django.urls import path

from digests import views

urlpatterns = [
    path("digest/unsubscribe/<str:token>/", views.digest_unsubscribe, name="digest-unsubscribe"),
]
