from django.urls import path

from actionplan import views

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
    path("action-plans/", views.plan_list, name="plans"),
    path(
        "frameworks/<slug:framework>/coverage/",
        views.framework_coverage_page,
        name="framework-coverage",
    ),
    path(
        "frameworks/<slug:framework>/coverage.svg",
        views.framework_coverage_chart,
        name="framework-coverage-chart",
    ),
    path("reference-countries/", views.reference_countries, name="reference-countries"),
    path("recommendations/", views.recommendations, name="recommendations"),
]
