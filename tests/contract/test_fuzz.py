"""Schemathesis fuzzing of the simulator's OpenAPI document (bounded): no 500s, and every
answer matches the documented status codes, content types and schemas.

Driven through hypothesis directly (schemathesis' pytest plugin does not run on pytest 9).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
import schemathesis
from contract_fixtures import FORMS
from hypothesis import HealthCheck, given, settings

from portal_sim.app import create_app


@schemathesis.serializer("application/offset+octet-stream")
def _chunk(ctx, value) -> bytes:  # noqa: ANN001 - schemathesis' signature
    """tus chunks are raw bytes; generated strings are sent as their UTF-8 bytes."""
    return value if isinstance(value, bytes) else str(value).encode("utf-8")


# positive_data_acceptance is left out on purpose: some 422s are semantic and documented in
# docs/portal-api.md (payload hash, Idempotency-Key = submission_id, a real CSR, a reused key),
# which JSON Schema cannot express; every other check runs.
EXCLUDED = [schemathesis.checks.positive_data_acceptance]
_STATE = tempfile.TemporaryDirectory(prefix="portal-fuzz-")
SCHEMA = schemathesis.openapi.from_asgi("/openapi.json", create_app(state_dir=Path(_STATE.name),
                                                                   forms_dir=FORMS))
OPERATIONS = {result.ok().label: result.ok() for result in SCHEMA.get_all_operations()}


def test_every_contract_operation_is_fuzzed() -> None:
    """The fuzz run covers the whole kiosk-facing contract, not a subset."""
    paths = {label.split(" ", 1)[1] for label in OPERATIONS}
    assert {"/v1/submissions", "/v1/uploads", "/v1/uploads/{upload_id}", "/v1/residents/lookup",
            "/v1/catalogue", "/v1/trust-list", "/v1/enrolments", "/v1/ratings", "/v1/time",
            "/v1/submissions/{submission_id}", "/v1/dossiers/{official_code}"} <= paths


@pytest.mark.parametrize("label", sorted(OPERATIONS))
def test_contract_holds_under_fuzzing(label: str) -> None:
    """Whatever a client sends to this operation, the answer stays within the documented contract."""
    operation = OPERATIONS[label]

    @given(case=operation.as_strategy())
    @settings(max_examples=12, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def fuzz(case: schemathesis.Case) -> None:
        case.call_and_validate(excluded_checks=EXCLUDED)

    fuzz()
