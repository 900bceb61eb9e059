from django.urls import path

from saleshelm.web import account, invitations, onboarding, passwords, signup, views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.health, name="health"),
    path("login/", views.login_view, name="login"),
    path("login/code/", views.login_code, name="login_code"),
    path("logout/", views.logout_view, name="logout"),
    path("signup/", signup.signup, name="signup"),
    path("start/", onboarding.onboarding, name="onboarding"),
    path("password/forgot/", passwords.password_forgot, name="password_forgot"),
    path("password/forgot/sent/", passwords.password_forgot_sent, name="password_forgot_sent"),
    path("password/set/<uidb64>/<token>/", passwords.password_set, name="password_set"),
    path("people/invitations/", invitations.invitation_list, name="invitations"),
    path("people/invitations/all/", invitations.invite_all, name="invite_all"),
    path("people/invitations/<int:pk>/", invitations.member_invite, name="member_invite"),
    path("organisation/switch/", views.switch_organisation, name="switch_organisation"),
    path("account/security/", account.account_security, name="account_security"),
    path("account/security/start/", account.second_factor_start, name="second_factor_start"),
    path("account/security/setup/", account.second_factor_setup, name="second_factor_setup"),
    path("account/security/disable/", account.second_factor_disable, name="second_factor_disable"),
    path("account/security/policy/", account.second_factor_policy, name="second_factor_policy"),
]
