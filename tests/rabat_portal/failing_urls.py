"""The portal's URLs plus one view that fails, quoting personal data in its error."""

from django.urls import path

from rabat_portal.urls import handler403, handler500, urlpatterns

__all__ = ["handler403", "handler500", "urlpatterns"]


def failing_view(request, token):
    raise ValueError(f"duplicate key value: (email)=(nfp@senegal.example), token {token}")


urlpatterns = [*urlpatterns, path("en/failing/<str:token>/", failing_view)]
