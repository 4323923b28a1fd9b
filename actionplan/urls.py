from django.urls import path, re_path

from actionplan import views
from portal_lib.exports import FORMAT_PATTERN

app_name = "actionplan"

urlpatterns = [
    path("action-plan/", views.current_plan, name="current-plan"),
    path("action-plan/<slug:plan>/", views.plan_detail, name="plan"),
    path("action-plan/<slug:plan>/domains/<int:number>/", views.domain_detail, name="domain"),
    path("action-plan/<slug:plan>/actions/<int:number>/", views.action_detail, name="action"),
    path(
        "action-plan/<slug:plan>/frameworks/<slug:framework>/",
        views.comparative_table,
        name="comparative-table",
    ),
    # Each table's download: the page's own view, period (its query string) and language.
    re_path(
        rf"^action-plan/(?P<plan>[-a-zA-Z0-9_]+)/frameworks/(?P<framework>[-a-zA-Z0-9_]+)/"
        rf"export\.(?P<file_format>{FORMAT_PATTERN})$",
        views.comparative_table,
        name="comparative-table-export",
    ),
    path("action-plans/", views.plan_list, name="plans"),
    path(
        "frameworks/<slug:framework>/coverage/",
        views.framework_coverage_page,
        name="framework-coverage",
    ),
    re_path(
        rf"^frameworks/(?P<framework>[-a-zA-Z0-9_]+)/coverage/"
        rf"export\.(?P<file_format>{FORMAT_PATTERN})$",
        views.framework_coverage_page,
        name="framework-coverage-export",
    ),
    path(
        "frameworks/<slug:framework>/coverage.svg",
        views.framework_coverage_chart,
        name="framework-coverage-chart",
    ),
    path("reference-countries/", views.reference_countries, name="reference-countries"),
    path("recommendations/", views.recommendations, name="recommendations"),
]
