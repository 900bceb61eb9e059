"""Writes of the direction app. Import from here: ``from saleshelm.direction import services``."""

from saleshelm.direction.services.mission import (
    mission_save,
    value_create,
    value_delete,
    value_update,
)
from saleshelm.direction.services.segments import (
    segment_create,
    segment_delete,
    segment_update,
    segments_reclassify,
)
from saleshelm.direction.services.strategy import (
    competitor_create,
    competitor_delete,
    competitor_update,
    offering_create,
    offering_delete,
    offering_update,
    opportunity_competitor_add,
    opportunity_competitor_remove,
)
from saleshelm.direction.services.vision import (
    check_in_create,
    goal_create,
    goal_link_delete,
    goal_link_opportunity,
    goal_link_target,
    goal_update,
    key_result_create,
    key_result_delete,
    key_result_update,
    vision_save,
)

__all__ = [
    "check_in_create",
    "competitor_create",
    "competitor_delete",
    "competitor_update",
    "goal_create",
    "goal_link_delete",
    "goal_link_opportunity",
    "goal_link_target",
    "goal_update",
    "key_result_create",
    "key_result_delete",
    "key_result_update",
    "mission_save",
    "offering_create",
    "offering_delete",
    "offering_update",
    "opportunity_competitor_add",
    "opportunity_competitor_remove",
    "segment_create",
    "segment_delete",
    "segment_update",
    "segments_reclassify",
    "value_create",
    "value_delete",
    "value_update",
    "vision_save",
]
