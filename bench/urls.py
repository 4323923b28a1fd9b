"""The portal's URLs plus the minimal view every benchmark compares its pages with."""

from django.http import HttpResponse
from django.urls import path

from rabat_portal.urls import urlpatterns as portal_urlpatterns


def minimal(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/minimal/", minimal), *portal_urlpatterns]
