from django.urls import path

from saleshelm.development.views import (
    assessments,
    checkins,
    coaching,
    feedback,
    knowledge,
    pages,
    signals,
)

app_name = "development"
urlpatterns = [
    path("development/", pages.my_development, name="my"),
    path("development/team/", pages.team_development, name="team"),
    path("development/overview/", pages.overview, name="overview"),
    # signals
    path("development/signals/", signals.signal_list, name="signals"),
    path("development/signals/evaluate/", signals.signals_evaluate, name="signals_evaluate"),
    path("development/signals/settings/", signals.signal_settings, name="signal_settings"),
    path("development/signals/<int:pk>/", signals.signal_detail, name="signal"),
    path("development/signals/<int:pk>/dismiss/", signals.signal_dismiss, name="signal_dismiss"),
    # feedback
    path("development/feedback/", feedback.feedback_list, name="feedback_list"),
    path("development/feedback/give/", feedback.feedback_give, name="feedback_give"),
    path("development/feedback/ask/", feedback.feedback_request_create, name="feedback_ask"),
    path("development/feedback/<int:pk>/", feedback.feedback_detail, name="feedback"),
    path(
        "development/feedback/requests/<int:pk>/decline/",
        feedback.feedback_request_decline,
        name="feedback_request_decline",
    ),
    # check-ins
    path("development/check-ins/", checkins.check_in_list, name="check_ins"),
    path("development/check-ins/new/", checkins.check_in_schedule, name="check_in_schedule"),
    path("development/check-ins/<int:pk>/", checkins.check_in_detail, name="check_in"),
    path("development/check-ins/<int:pk>/notes/", checkins.check_in_notes, name="check_in_notes"),
    path(
        "development/check-ins/<int:pk>/complete/",
        checkins.check_in_complete,
        name="check_in_complete",
    ),
    path(
        "development/check-ins/<int:pk>/action-items/",
        checkins.action_item_add,
        name="action_item_add",
    ),
    path(
        "development/action-items/<int:pk>/status/",
        checkins.action_item_status,
        name="action_item_status",
    ),
    # coaching and plans
    path("development/coaching/", coaching.coaching_list, name="coaching_sessions"),
    path("development/coaching/new/", coaching.coaching_record, name="coaching_record"),
    path("development/coaching/<int:pk>/", coaching.coaching_detail, name="coaching_session"),
    path("development/plans/", coaching.plan_list, name="plans"),
    path("development/plans/new/", coaching.plan_create, name="plan_create"),
    path("development/plans/<int:pk>/", coaching.plan_detail, name="plan"),
    path("development/plans/<int:pk>/goals/", coaching.goal_add, name="goal_add"),
    path("development/goals/<int:pk>/", coaching.goal_update, name="goal_update"),
    # assessments
    path("development/assessments/", assessments.assessment_list, name="assessments"),
    path("development/assessments/cycles/new/", assessments.cycle_create, name="cycle_create"),
    path("development/assessments/<int:pk>/", assessments.assessment_detail, name="assessment"),
    path(
        "development/assessments/<int:pk>/self/",
        assessments.assessment_self,
        name="assessment_self",
    ),
    path(
        "development/assessments/<int:pk>/manager/",
        assessments.assessment_manager,
        name="assessment_manager",
    ),
    # knowledge
    path("development/competencies/", knowledge.competency_framework, name="competencies"),
    path("development/competencies/load/", knowledge.framework_load_view, name="framework_load"),
    path("development/competencies/<int:pk>/", knowledge.competency_detail, name="competency"),
    path("development/stories/", knowledge.story_list, name="stories"),
    path("development/stories/new/", knowledge.story_create, name="story_create"),
    path("development/stories/<int:pk>/", knowledge.story_detail, name="story"),
    path("development/experts/", knowledge.experts, name="experts"),
]
