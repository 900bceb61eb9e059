"""Splitting one order line's amount among its credited members, exactly.

The mechanism lives in ``saleshelm.core.money`` (direction credits split deals with it too);
the engine imports it from here.
"""

from __future__ import annotations

from saleshelm.core.money import allocate, quantum

__all__ = ["allocate", "quantum"]
