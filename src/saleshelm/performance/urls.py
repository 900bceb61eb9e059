from django.urls import path

from saleshelm.performance import views

app_name = "performance"
urlpatterns = [
    path("performance/", views.index, name="index"),
    path("performance/my/", views.my_period, name="my_period"),
    path("performance/team/", views.team_dashboard, name="team"),
    path("performance/team/<int:pk>/", views.team_dashboard, name="team_of"),
    path("performance/organisation/", views.organisation_dashboard, name="organisation"),
    path("performance/leaderboard/", views.leaderboard_page, name="leaderboard"),
    path("performance/targets/", views.target_list, name="targets"),
    path("performance/targets/new/", views.target_create, name="target_new"),
    path("performance/targets/<int:pk>/", views.target_detail, name="target"),
    path("performance/targets/<int:pk>/edit/", views.target_edit, name="target_edit"),
    path("performance/targets/<int:pk>/delete/", views.target_delete, name="target_delete"),
    path("performance/targets/<int:pk>/allocate/", views.target_allocate, name="target_allocate"),
    path("performance/forecast/", views.forecast, name="forecast"),
    path("performance/forecast/submit/", views.forecast_submit, name="forecast_submit"),
    path("performance/forecast/override/", views.forecast_override, name="forecast_override"),
    path("performance/scorecards/", views.scorecard_list, name="scorecards"),
    path("performance/scorecards/<int:pk>/", views.scorecard, name="scorecard"),
]
