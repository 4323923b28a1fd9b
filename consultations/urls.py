from django.urls import path

from consultations import views

app_name = "consultations"

urlpatterns = [
    path("private/consultations/", views.consultation_list, name="consultations"),
    path("private/consultations/<int:pk>/", views.consultation_detail, name="consultation"),
    path(
        "private/consultations/<int:pk>/file/",
        views.consultation_file,
        name="consultation-file",
    ),
    path(
        "private/consultations/<int:pk>/responses/",
        views.consultation_responses,
        name="consultation-responses",
    ),
    path(
        "private/consultations/<int:pk>/responses.csv",
        views.consultation_export,
        name="consultation-export",
    ),
    path(
        "private/consultations/<int:pk>/answers/<int:answer_pk>/file/",
        views.answer_file,
        name="answer-file",
    ),
]
