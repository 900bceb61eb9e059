"""Development (SPEC §8): competencies, assessments, feedback, check-ins, coaching, plans,
early signals and knowledge sharing."""

from saleshelm.development.models.assessments import (
    Assessment,
    AssessmentCycle,
    AssessmentRating,
    AssessmentStatus,
    CycleStatus,
)
from saleshelm.development.models.checkins import (
    ActionItem,
    ActionItemStatus,
    CheckIn,
    CheckInCadence,
    CheckInStatus,
)
from saleshelm.development.models.coaching import (
    CoachingSession,
    DevelopmentGoal,
    DevelopmentPlan,
    GoalStatus,
    ObservationType,
    PlanStatus,
)
from saleshelm.development.models.competencies import (
    LEVELS,
    Competency,
    CompetencyGroup,
    CompetencyKind,
    ExpectedLevel,
)
from saleshelm.development.models.feedback import (
    Feedback,
    FeedbackKind,
    FeedbackRequest,
    FeedbackRequestStatus,
    Visibility,
)
from saleshelm.development.models.signals import (
    DigestDelivery,
    Signal,
    SignalRule,
    SignalSettings,
    SignalStatus,
)
from saleshelm.development.models.stories import Story, StoryKind

__all__ = [
    "LEVELS",
    "ActionItem",
    "ActionItemStatus",
    "Assessment",
    "AssessmentCycle",
    "AssessmentRating",
    "AssessmentStatus",
    "CheckIn",
    "CheckInCadence",
    "CheckInStatus",
    "CoachingSession",
    "Competency",
    "CompetencyGroup",
    "CompetencyKind",
    "CycleStatus",
    "DevelopmentGoal",
    "DevelopmentPlan",
    "DigestDelivery",
    "ExpectedLevel",
    "Feedback",
    "FeedbackKind",
    "FeedbackRequest",
    "FeedbackRequestStatus",
    "GoalStatus",
    "ObservationType",
    "PlanStatus",
    "Signal",
    "SignalRule",
    "SignalSettings",
    "SignalStatus",
    "Story",
    "StoryKind",
    "Visibility",
]
