from django.urls import include, path

from tanu.proceedings import views

app_name = "proceedings"

# One proceeding: proceedings/<id>/…; every write is a POST to its own URL.
proceeding_urls = [
    path("", views.proceeding_detail, name="proceeding"),
    path("edit/", views.proceeding_edit, name="edit"),
    path("stage/", views.proceeding_stage, name="stage"),
    path("suspects/", views.proceeding_suspects, name="suspects"),
    path("protection/", views.protection_add, name="protection_add"),
    path("protection/<int:measure_pk>/end/", views.protection_end, name="protection_end"),
    path("hearings/", views.hearing_add, name="hearing_add"),
    path("hearings/<int:hearing_pk>/cancel/", views.hearing_cancel, name="hearing_cancel"),
]

urlpatterns = [
    path("", views.proceeding_list, name="proceedings"),
    path("register/", views.proceeding_register, name="register"),
    path("articles/", views.article_list, name="articles"),
    path("<int:pk>/", include(proceeding_urls)),
]
