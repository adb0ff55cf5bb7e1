"""Keeping the client secret and access tokens out of logs, exception messages and reprs.

Light on purpose (standard library only): the exception types redact their messages, and importing them
must not import Airflow or an HTTP client.
"""

from __future__ import annotations

import contextlib
import logging
import re
import threading

__all__ = ["RedactingFilter", "redact", "remember_secret"]

_SECRETS: set[str] = set()
_SECRETS_LOCK = threading.Lock()

# Token values in JSON or dict reprs (requests-oauthlib logs the token response before we know the token).
_TOKEN_VALUE = re.compile(
    r"""(["']?(?:access_token|refresh_token|client_secret)["']?\s*[:=]\s*["']?)[^"'&,}\s]+"""
)


def remember_secret(value: str | None) -> None:
    """Register a secret for redaction here and in Airflow's task-log masker."""
    if not value:
        return
    with _SECRETS_LOCK:
        _SECRETS.add(value)
    with contextlib.suppress(Exception):
        # Imported here so that this module stays importable without Airflow.
        from airflow.sdk.log import mask_secret

        mask_secret(value)


def redact(text: str) -> str:
    """Replace every known secret, and anything shaped like a token value, in ``text`` with ``***``."""
    with _SECRETS_LOCK:
        secrets = sorted(_SECRETS, key=len, reverse=True)
    for secret in secrets:
        if secret and secret in text:
            text = text.replace(secret, "***")
    return _TOKEN_VALUE.sub(r"\1***", text)


class RedactingFilter(logging.Filter):
    """requests-oauthlib logs request bodies and tokens at DEBUG; scrub them before any handler sees them."""

    def filter(self, record: logging.LogRecord) -> bool:
        with contextlib.suppress(Exception):
            message = record.getMessage()
            redacted = redact(message)
            if redacted != message:
                record.msg, record.args = redacted, None
        return True
