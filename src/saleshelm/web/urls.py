from django.urls import path

from saleshelm.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.health, name="health"),
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("organisation/switch/", views.switch_organisation, name="switch_organisation"),
]
