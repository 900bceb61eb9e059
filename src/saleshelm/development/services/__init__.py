"""Writes of the development app: ``<entity>_<verb>(*, actor, ...)``, atomic, audited.

Coaching text (feedback bodies, evidence, observations, check-in notes) is never written to
an audit row, an error message or a log line.
"""

from saleshelm.development.services.assessments import (
    RatingInput,
    assessment_cycle_close,
    assessment_cycle_create,
    assessment_manager_save,
    assessment_self_save,
)
from saleshelm.development.services.checkins import (
    action_item_add,
    action_item_set_status,
    check_in_cadence_set,
    check_in_cancel,
    check_in_complete,
    check_in_schedule,
    check_in_update,
    check_ins_plan_due,
)
from saleshelm.development.services.coaching import (
    coaching_session_record,
    coaching_session_update,
    development_goal_add,
    development_goal_update,
    development_plan_create,
    development_plan_update,
)
from saleshelm.development.services.competencies import (
    competency_create,
    competency_group_create,
    competency_update,
    expected_levels_set,
)
from saleshelm.development.services.feedback import (
    feedback_give,
    feedback_request_create,
    feedback_request_decline,
)
from saleshelm.development.services.signals import (
    signal_dismiss,
    signal_settings_update,
    signals_evaluate,
)
from saleshelm.development.services.stories import story_create, story_update

__all__ = [
    "RatingInput",
    "action_item_add",
    "action_item_set_status",
    "assessment_cycle_close",
    "assessment_cycle_create",
    "assessment_manager_save",
    "assessment_self_save",
    "check_in_cadence_set",
    "check_in_cancel",
    "check_in_complete",
    "check_in_schedule",
    "check_in_update",
    "check_ins_plan_due",
    "coaching_session_record",
    "coaching_session_update",
    "competency_create",
    "competency_group_create",
    "competency_update",
    "development_goal_add",
    "development_goal_update",
    "development_plan_create",
    "development_plan_update",
    "expected_levels_set",
    "feedback_give",
    "feedback_request_create",
    "feedback_request_decline",
    "signal_dismiss",
    "signal_settings_update",
    "signals_evaluate",
    "story_create",
    "story_update",
]
