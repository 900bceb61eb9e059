"""SPEC §11.2, the stateful phase: schemathesis chains API calls through the links between
operations (a POST that creates a record, then the GET, PATCH and DELETE of that record, or
the lists that contain it), inferred from the schema's response bodies and path parameters.

The same checks as the operation-by-operation run (tests/reliability/test_api_fuzz.py), as a
rep and as an admin. Scenarios per role: SALESHELM_FUZZ_EXAMPLES (``make fuzz``: 100)."""

from __future__ import annotations

import pytest
from django.db import transaction
from hypothesis import HealthCheck, settings
from schemathesis.checks import ignored_auth

from tests.reliability.test_api_fuzz import CHECKS, EXAMPLES, schema

pytestmark = pytest.mark.django_db

LINKS = schema.as_state_machine()
# Whether an operation refuses missing or invalid credentials is checked operation by operation
# in test_api_fuzz.py; in a chain the machine also sends the schema's session cookie, which
# schemathesis then takes for generated credentials and reports our own token as ignored.
CHAIN_CHECKS = [check for check in CHECKS if check is not ignored_auth]


def _machine(token: str):
    class AsMember(LINKS):  # type: ignore[misc, valid-type]
        # Every scenario starts from the same organisation: what one chain writes is rolled
        # back before the next (Hypothesis replays scenarios and needs the same answers).
        def setup(self):
            self.savepoint = transaction.savepoint()

        def teardown(self):
            transaction.savepoint_rollback(self.savepoint)

        def get_call_kwargs(self, case):
            return {"headers": {"Authorization": f"Bearer {token}"}}

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(response, checks=CHAIN_CHECKS, transport_kwargs=kwargs)

    return AsMember


def test_the_schema_links_operations_for_the_stateful_phase():
    # Without links there is nothing to chain: the inference must find how records connect.
    transitions = [name for name in vars(LINKS) if "___" in name]
    assert len(transitions) > 200, len(transitions)


@pytest.mark.parametrize("role", ["rep", "admin"])
def test_chained_calls_answer_within_the_schema(role, world_tokens):
    machine = _machine(world_tokens[role])
    machine.run(
        settings=settings(
            max_examples=EXAMPLES,
            stateful_step_count=6,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
        )
    )
