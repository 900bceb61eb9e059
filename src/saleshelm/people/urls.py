from django.urls import path

from saleshelm.people import views

app_name = "people"
urlpatterns = [
    path("people/teams/", views.team_tree, name="teams"),
    path("people/teams/new/", views.team_create, name="team_create"),
    path("people/teams/<int:pk>/", views.team_detail, name="team"),
    path("people/teams/<int:pk>/edit/", views.team_edit, name="team_edit"),
    path("people/members/", views.member_directory, name="members"),
    path("people/members/<int:pk>/", views.member_detail, name="member"),
    path("people/members/<int:pk>/placement/", views.member_edit, name="member_edit"),
    path("people/members/<int:pk>/about/", views.member_about, name="member_about"),
    path("people/members/<int:pk>/export/", views.member_export, name="member_export"),
    path("people/members/<int:pk>/erase/", views.member_erase, name="member_erase"),
    path("people/my-role/", views.my_role, name="my_role"),
]
