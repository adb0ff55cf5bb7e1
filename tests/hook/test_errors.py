"""The provider's exceptions: light to import, and redacted like everything else the hook raises."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize(
    "module", ["procore_provider.errors", "procore_provider.responses", "procore_provider.redaction"]
)
def test_light_modules_import_no_airflow_http_client_or_tenacity(module):
    # Callers catch ProcoreAPIError (and read SyncOutcome) without paying for Airflow or requests.
    code = (
        f"import sys, {module}; "
        "print(sorted(m for m in ('airflow', 'requests', 'tenacity', 'oauthlib') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_public_names_stay_importable_from_hooks():
    from procore_provider import errors, hooks, responses

    assert hooks.ProcoreAPIError is errors.ProcoreAPIError
    assert hooks.ProcoreRetryExhausted is errors.ProcoreRetryExhausted
    assert hooks.SyncOutcome is responses.SyncOutcome
    assert hooks.match_sync_response is responses.match_sync_response
    assert (hooks.MAX_SYNC_CHUNK, hooks.DEFAULT_PER_PAGE) == (1000, 1000)
    assert hooks.RETRIABLE_STATUSES == {429, 502, 503, 504}
    assert callable(hooks.resolve_hosts)


def test_api_error_message_names_the_call_and_hides_secrets():
    from procore_provider.errors import ProcoreAPIError, ProcoreRetryExhausted
    from procore_provider.redaction import remember_secret

    remember_secret("tok-secret-123456")
    exc = ProcoreAPIError("refused tok-secret-123456", status_code=403, method="GET", path="/x")
    assert str(exc) == "GET /x: HTTP 403: refused ***"
    exhausted = ProcoreRetryExhausted(
        "gave up",
        status_code=None,
        attempts=2,
        waited_seconds=1.0,
        elapsed_seconds=1.5,
        last_error="ConnectionError: tok-secret-123456",
    )
    assert isinstance(exhausted, ProcoreAPIError)
    assert exhausted.last_error == "ConnectionError: ***" and str(exhausted) == "gave up"
