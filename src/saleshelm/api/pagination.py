"""``limit``/``offset`` pages of every list (SPEC §9), with an offset the database can take.

django-ninja's own class leaves ``offset`` unbounded, and an offset beyond 64 bits reached
PostgreSQL, which refused it ("bigint out of range": a 500). Here it is a documented 422 like
any other bad parameter. Use this class wherever a list is paginated."""

from __future__ import annotations

from django.conf import settings
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination as NinjaLimitOffsetPagination

# offset + limit stays a 64-bit integer; no organisation has 2^62 rows of anything.
MAX_OFFSET = 2**62


class LimitOffsetPagination(NinjaLimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(
            settings.NINJA_PAGINATION_PER_PAGE, ge=1, le=settings.NINJA_PAGINATION_MAX_LIMIT
        )
        offset: int = Field(0, ge=0, le=MAX_OFFSET)
