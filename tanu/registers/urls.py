from django.urls import URLPattern, path

from tanu.registers import views

app_name = "registers"

urlpatterns: list[URLPattern] = [
    path("", views.upload, name="import"),
    path("template.<str:fmt>", views.template, name="template"),
    path("<int:pk>/", views.batch, name="batch"),
    path("<int:pk>/progress/", views.progress, name="progress"),
    path("<int:pk>/confirm/", views.confirm, name="confirm"),
]
