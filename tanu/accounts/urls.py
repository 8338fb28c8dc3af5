from django.urls import path

from tanu.accounts import user_views, views

app_name = "accounts"

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("otp/", views.otp_verify_view, name="otp_verify"),
    path("otp/setup/", views.otp_setup_view, name="otp_setup"),
    path("password/<uidb64>/<token>/", views.set_password_view, name="set_password"),
    path("language/", views.set_language_view, name="set_language"),
    # The administrators' pages
    path("users/", user_views.user_list, name="users"),
    path("users/new/", user_views.user_new, name="user_new"),
    path("users/<int:pk>/", user_views.user_detail, name="user"),
    path("users/<int:pk>/role/", user_views.user_role, name="user_role"),
    path("users/<int:pk>/agency/", user_views.user_agency, name="user_agency"),
    path("users/<int:pk>/disable/", user_views.user_disable, name="user_disable"),
    path("users/<int:pk>/enable/", user_views.user_enable, name="user_enable"),
    path("users/<int:pk>/reset-mfa/", user_views.user_reset_mfa, name="user_reset_mfa"),
    path("users/<int:pk>/invite/", user_views.user_invite, name="user_invite"),
    path(
        "users/requests/<int:pk>/approve/",
        user_views.role_request_decide,
        {"decision": "approve"},
        name="role_request_approve",
    ),
    path(
        "users/requests/<int:pk>/reject/",
        user_views.role_request_decide,
        {"decision": "reject"},
        name="role_request_reject",
    ),
    path("agencies/", user_views.agency_list, name="agencies"),
    path("agencies/new/", user_views.agency_new, name="agency_new"),
    path("agencies/<int:pk>/", user_views.agency_detail, name="agency"),
]
