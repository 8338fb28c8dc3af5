from django.urls import path

from tanu.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("otp/", views.otp_verify_view, name="otp_verify"),
    path("otp/setup/", views.otp_setup_view, name="otp_setup"),
    path("password/<uidb64>/<token>/", views.set_password_view, name="set_password"),
    path("language/", views.set_language_view, name="set_language"),
]
