"""``/api/v1/``: outside the language prefix (``?lang=fr`` or Accept-Language choose it)."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from api import views

app_name = "api"


class Router(DefaultRouter):
    # No ``.json`` twins of each address: JSON is the only format.
    include_format_suffixes = False


router = Router()
router.register("plans", views.ActionPlanViewSet, basename="plan")
router.register("frameworks", views.FrameworkViewSet, basename="framework")
router.register("recommendations", views.RecommendationViewSet, basename="recommendation")
router.register("partners", views.PartnerViewSet, basename="partner")
router.register("meetings", views.MeetingViewSet, basename="meeting")
router.register("documents", views.DocumentViewSet, basename="document")
router.register("labelled-projects", views.LabelledProjectViewSet, basename="labelled-project")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api:schema", template_name="api/swagger_ui.html"
        ),
        name="docs",
    ),
    *router.urls,
]
