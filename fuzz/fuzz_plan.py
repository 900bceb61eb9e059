"""atheris target: the commission plan JSON parser (``saleshelm.incentives.plans``), without
a database. The documented outcome of bad input is ``ApplicationError`` (invalid JSON, or
one message per wrong field); anything else is a crash. A plan that parses is also turned
into the engine's plan and exported back, and the export parses again to the same plan.

    python fuzz/fuzz_plan.py -max_total_time=600 fuzz/corpus/plan
"""

from __future__ import annotations

import json
import sys

import atheris

with atheris.instrument_imports(include=["saleshelm", "openpyxl", "charset_normalizer"]):
    from _setup import django_setup

    django_setup()
    from saleshelm.core.errors import ApplicationError
    from saleshelm.incentives import plans


def TestOneInput(data: bytes) -> None:
    try:
        parsed = plans.parse_plan(plans.loads(data))
    except ApplicationError:
        return
    plans.engine_plan(parsed.definition)
    exported = plans.export_definition(parsed.definition, parsed.members)
    again = plans.parse_plan(json.loads(json.dumps(exported)))
    assert again.definition == parsed.definition, (parsed.definition, again.definition)


def main() -> None:
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
