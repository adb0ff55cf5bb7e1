"""Secrets and token-shaped values are scrubbed from text before it is logged or raised."""

from __future__ import annotations

from procore_provider.redaction import redact


def test_token_values_are_redacted_even_before_they_are_known():
    assert "abc.def" not in redact('{"access_token":"abc.def","token_type":"bearer"}')
    assert "s3cr3t" not in redact("grant_type=client_credentials&client_secret=s3cr3t&x=1")
