from django.urls import URLPattern

app_name = "registers"

urlpatterns: list[URLPattern] = []
