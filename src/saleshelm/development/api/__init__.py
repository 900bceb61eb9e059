"""API of the development app (SPEC §9): competencies, assessments, feedback, check-ins,
coaching sessions, development plans, signals and stories under /api/v1/.

One router per area, assembled here; ``saleshelm.api.urls`` mounts ``router``.
"""

from ninja import Router

from saleshelm.development.api import (
    assessments,
    checkins,
    coaching,
    competencies,
    feedback,
    signals,
    stories,
)

router = Router()
for module in (competencies, assessments, feedback, checkins, coaching, signals, stories):
    router.add_router("/", module.router)
