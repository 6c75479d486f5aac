"""Property-based fuzzing of the server's OpenAPI document: no request gets a 5xx."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode

from tests.server.conftest import RunningServer, start_server

pytestmark = pytest.mark.slow

EXAMPLES = int(os.environ.get("ASSISTANT_FUZZ_EXAMPLES", "25"))
"""Per operation. Valid generation requests reach the real model (at most 4 tokens)."""


@pytest.fixture(scope="module")
def fuzz_server(local_model) -> Iterator[RunningServer]:
    running = start_server(local_model, max_tokens_limit=4, default_max_tokens=4)
    yield running
    running.stop()


@pytest.fixture(scope="module")
def fuzz_schema(fuzz_server: RunningServer):
    loaded = schemathesis.openapi.from_url(f"{fuzz_server.url}/openapi.json")
    loaded.config.generation.update(modes=list(GenerationMode))  # valid and invalid bodies
    return loaded


schema = schemathesis.pytest.from_fixture("fuzz_schema")


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_generated_request_gets_a_server_error(case, fuzz_server: RunningServer) -> None:
    if isinstance(case.body, dict) and isinstance(case.body.get("model"), str):
        case.body["model"] = "default"  # so that valid bodies reach the model, not a 404
    response = case.call(base_url=fuzz_server.url, timeout=120)
    assert response.status_code < 500, (case.as_curl_command(), response.text[:500])
    if response.status_code >= 400:
        body = response.json()
        assert "error" in body and "Traceback" not in response.text


def test_fuzzing_reached_the_model(fuzz_server: RunningServer) -> None:
    # Runs after the fuzz test above (file order): some generated bodies were valid.
    assert fuzz_server.state.engine.queue.stats().served > 0
