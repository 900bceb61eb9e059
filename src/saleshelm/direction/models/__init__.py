from saleshelm.direction.models.mission import CompanyValue, Mission
from saleshelm.direction.models.segments import (
    AccountSegmentFit,
    Grade,
    LeadSegmentFit,
    Segment,
)
from saleshelm.direction.models.strategy import Competitor, Offering, OpportunityCompetitor
from saleshelm.direction.models.vision import (
    LEVEL_ORDER,
    Goal,
    GoalLevel,
    GoalLink,
    GoalStatus,
    KeyResult,
    KeyResultCheckIn,
    KeyResultScope,
    KeyResultSource,
    Vision,
)

__all__ = [
    "LEVEL_ORDER",
    "AccountSegmentFit",
    "CompanyValue",
    "Competitor",
    "Goal",
    "GoalLevel",
    "GoalLink",
    "GoalStatus",
    "Grade",
    "KeyResult",
    "KeyResultCheckIn",
    "KeyResultScope",
    "KeyResultSource",
    "LeadSegmentFit",
    "Mission",
    "Offering",
    "OpportunityCompetitor",
    "Segment",
    "Vision",
]
