from django.urls import path

from tanu.training import api
from tanu.training.urls import IdConverter  # noqa: F401 - registers training_id

urlpatterns = [
    path("seminars/", api.seminar_list, name="api-seminars"),
    path("seminars/<training_id:pk>/", api.seminar_detail, name="api-seminar"),
    path("questions/", api.question_list, name="api-questions"),
    path("questions/<training_id:pk>/", api.question_detail, name="api-question"),
]
