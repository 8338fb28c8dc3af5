from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from tanu import views
from tanu.accounts import api as accounts_api
from tanu.cases import api as cases_api
from tanu.identification import api as identification_api
from tanu.identification import offline_views
from tanu.lib.schema import SchemaView
from tanu.referrals import api as referrals_api
from tanu.referrals import services_api
from tanu.training import public as training_public

accounts_api_urls = [
    path("auth/token/", accounts_api.token_view, name="api-token"),
    path("me/", accounts_api.me_view, name="api-me"),
    path("agencies/", accounts_api.agency_list_view, name="api-agencies"),
    path("agencies/<int:pk>/", accounts_api.agency_detail_view, name="api-agency"),
]
identification_api_urls = [
    path("screenings/", identification_api.screening_list, name="api-screenings"),
    path("screenings/<int:pk>/", identification_api.screening_detail, name="api-screening"),
    path(
        "screenings/<int:pk>/finalise/",
        identification_api.screening_finalise,
        name="api-screening-finalise",
    ),
]
cases_api_urls = [
    path("cases/", cases_api.case_list, name="api-cases"),
    path("cases/<int:pk>/", cases_api.case_detail, name="api-case"),
    path("cases/<int:pk>/person/", cases_api.case_person, name="api-case-person"),
]
referrals_api_urls = [
    path("services/", services_api.service_list, name="api-services"),
    path("services/<int:pk>/", services_api.service_detail, name="api-service"),
    path("referrals/", referrals_api.referral_list, name="api-referrals"),
    path("referrals/<int:pk>/", referrals_api.referral_detail, name="api-referral"),
    path("referrals/<int:pk>/status/", referrals_api.referral_status, name="api-referral-status"),
    path("referrals/<int:pk>/person/", referrals_api.referral_person, name="api-referral-person"),
]
checklists_api_urls = [
    path("checklists/", identification_api.checklist_list, name="api-checklists"),
    path(
        "checklists/<slug:checklist_id>/",
        identification_api.checklist_detail,
        name="api-checklist",
    ),
]

api_v1: list[URLPattern | URLResolver] = [
    *accounts_api_urls,
    *identification_api_urls,
    *cases_api_urls,
    *referrals_api_urls,
    *checklists_api_urls,
    path("", include("tanu.monitoring.api_urls")),
    path("", include("tanu.training.api_urls")),
    path("", include("tanu.proceedings.api_urls")),
    path("", include("tanu.linkage.api_urls")),
    path("", include("tanu.reports.api_urls")),
    path("schema/", SchemaView.as_view(), name="api-schema"),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("accessibility/", views.accessibility, name="accessibility"),
    # The installable app: at the root, so that the service worker's scope is the whole site.
    path("sw.js", offline_views.service_worker, name="service_worker"),
    path("manifest.webmanifest", offline_views.manifest, name="manifest"),
    path("accounts/", include("tanu.accounts.urls")),
    path("audit/", include("tanu.audit.urls")),
    path("", include("tanu.identification.offline_urls")),
    path("", include("tanu.identification.urls")),
    path("", include("tanu.cases.urls")),
    path("", include("tanu.referrals.urls")),
    path("services/", include("tanu.referrals.directory_urls")),
    path("monitoring/", include("tanu.monitoring.urls")),
    path("training/", include("tanu.training.urls")),
    # Participants type the test code shown in the room here: short, to type on a phone.
    path("t/", training_public.code_entry, name="test_code"),
    path("proceedings/", include("tanu.proceedings.urls")),
    path("registers/", include("tanu.registers.urls")),
    path("linkage/", include("tanu.linkage.urls")),
    path("reports/", include("tanu.reports.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
]

handler404 = "tanu.views.not_found"
handler500 = "tanu.views.server_error"
handler400 = "tanu.views.bad_request"
