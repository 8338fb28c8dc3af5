from django.urls import path

from tanu.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.search, name="search"),
    path("alerts/", views.alert_list, name="alerts"),
    path("alerts/<int:pk>/review/", views.alert_review, name="alert_review"),
]
