from django.urls import path

from tanu.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("panel/indicators/", views.indicators_panel, name="indicators"),
    path("chart/<slug:name>.csv", views.chart_download, {"fmt": "csv"}, name="chart_csv"),
    path("chart/<slug:name>.svg", views.chart_download, {"fmt": "svg"}, name="chart_svg"),
    path("table/<slug:name>.csv", views.table_download, {"fmt": "csv"}, name="table_csv"),
    path("table/<slug:name>.xlsx", views.table_download, {"fmt": "xlsx"}, name="table_xlsx"),
    path("tables.xlsx", views.workbook_download, name="workbook"),
    path("quarterly.pdf", views.quarterly_pdf, name="quarterly_pdf"),
    path("exports/", views.exports, name="exports"),
    path("exports/<int:pk>/", views.export_detail, name="export"),
    path("exports/<int:pk>/progress/", views.export_progress, name="export_progress"),
    path("exports/<int:pk>/download/", views.export_download, name="export_download"),
]
