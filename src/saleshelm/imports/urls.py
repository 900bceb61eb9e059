from django.urls import path

from saleshelm.imports import views

app_name = "imports"
urlpatterns = [
    path("imports/", views.index, name="index"),
    path("imports/new/", views.upload, name="upload"),
    path("imports/<int:pk>/", views.job_detail, name="job"),
    path("imports/<int:pk>/columns/", views.mapping, name="mapping"),
    path("imports/<int:pk>/preview/", views.preview, name="preview"),
    path("imports/templates/<slug:kind>.csv", views.template, name="template"),
    path("exports/", views.export, name="export"),
]
