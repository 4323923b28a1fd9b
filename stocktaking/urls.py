from django.urls import path

from stocktaking import views

urlpatterns = [
    path("private/stocktaking/preview/", views.stocktaking_preview, name="stocktaking-preview"),
]
