from django.urls import path

from saleshelm.direction.views import mission, segments, vision

app_name = "direction"
urlpatterns = [
    path("direction/vision/", vision.vision, name="vision"),
    path("direction/vision/edit/", vision.vision_edit, name="vision_edit"),
    path("direction/goals/new/", vision.goal_create, name="goal_create"),
    path("direction/goals/<int:pk>/", vision.goal_detail, name="goal"),
    path("direction/goals/<int:pk>/edit/", vision.goal_edit, name="goal_edit"),
    path(
        "direction/goals/<int:pk>/key-results/new/",
        vision.key_result_create,
        name="key_result_create",
    ),
    path(
        "direction/goals/<int:pk>/targets/link/", vision.goal_target_link, name="goal_target_link"
    ),
    path(
        "direction/target-links/<int:pk>/delete/",
        vision.target_link_delete,
        name="target_link_delete",
    ),
    path("direction/key-results/<int:pk>/edit/", vision.key_result_edit, name="key_result_edit"),
    path(
        "direction/key-results/<int:pk>/delete/", vision.key_result_delete, name="key_result_delete"
    ),
    path("direction/key-results/<int:pk>/check-in/", vision.check_in, name="check_in"),
    path("direction/line-of-sight/", vision.line_of_sight, name="line_of_sight"),
    path("direction/line-of-sight/<int:pk>/", vision.line_of_sight, name="line_of_sight_member"),
    path("direction/deals/<int:pk>/goal/", vision.deal_goal, name="deal_goal"),
    path("direction/alignment/", vision.alignment, name="alignment"),
    path("direction/mission/", mission.mission, name="mission"),
    path("direction/mission/edit/", mission.mission_edit, name="mission_edit"),
    path("direction/values/new/", mission.value_create, name="value_create"),
    path("direction/values/<int:pk>/edit/", mission.value_edit, name="value_edit"),
    path("direction/values/<int:pk>/delete/", mission.value_delete, name="value_delete"),
    path("direction/strategy/", mission.strategy, name="strategy"),
    path("direction/offerings/new/", mission.offering_create, name="offering_create"),
    path("direction/offerings/<int:pk>/edit/", mission.offering_edit, name="offering_edit"),
    path("direction/offerings/<int:pk>/delete/", mission.offering_delete, name="offering_delete"),
    path("direction/competitors/new/", mission.competitor_create, name="competitor_create"),
    path("direction/competitors/<int:pk>/edit/", mission.competitor_edit, name="competitor_edit"),
    path(
        "direction/competitors/<int:pk>/delete/",
        mission.competitor_delete,
        name="competitor_delete",
    ),
    path("direction/segments/", segments.segments, name="segments"),
    path("direction/segments/new/", segments.segment_create, name="segment_create"),
    path("direction/segments/reclassify/", segments.segments_reclassify, name="reclassify"),
    path("direction/segments/<int:pk>/edit/", segments.segment_edit, name="segment_edit"),
    path("direction/segments/<int:pk>/delete/", segments.segment_delete, name="segment_delete"),
]
