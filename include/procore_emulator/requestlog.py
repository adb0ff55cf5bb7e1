"""The request log file: every API and token request as one JSON line, for a spec checker to replay.

Each line is ``{"method", "path", "query", "body", "status"}``: ``query`` maps each parameter to its
value (a list when repeated), ``body`` is the parsed JSON, form or multipart fields (files as
``"<file NAME>"``), raw text otherwise, or null. Headers are not logged. Credentials never reach the
file: values under secret-looking keys (``client_secret``, ``access_token``...) become
``[REDACTED]``, as do ``Bearer ...`` tokens and the configured client secret wherever they appear.
Appends are serialised by a lock within the process and ``flock`` across processes, one ``write``
per line on an ``O_APPEND`` descriptor.
"""

from __future__ import annotations

import email.parser
import json
import os
import re
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

try:  # POSIX; elsewhere the in-process lock alone serialises appends
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]

REQUEST_LOG_ENV = "PROCORE_EMULATOR_REQUEST_LOG"
REDACTED = "[REDACTED]"
SECRET_KEYS = frozenset(
    {
        "client_secret",
        "access_token",
        "refresh_token",
        "id_token",
        "password",
        "client_assertion",
        "authorization",
    }
)
TOKEN_SECRET_KEYS = SECRET_KEYS | {"code", "assertion"}
"""On the token endpoint an authorization ``code`` is a credential too (elsewhere ``code`` is data:
a cost code's code)."""
_BEARER = re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]+")


def redact(value: Any, keys: frozenset[str] = SECRET_KEYS) -> Any:
    """``value`` with every value under a secret key replaced (recursively)."""
    if isinstance(value, dict):
        return {k: REDACTED if str(k).lower() in keys else redact(v, keys) for k, v in value.items()}
    if isinstance(value, list):
        return [redact(v, keys) for v in value]
    return value


def grouped(pairs: Iterable[tuple[str, str]]) -> dict[str, Any]:
    """Query or form pairs as a mapping: one value as itself, repeated ones as a list."""
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            out[key] = [*out[key], value] if isinstance(out[key], list) else [out[key], value]
        else:
            out[key] = value
    return out


def parse_multipart(raw: bytes, content_type: str) -> dict[str, Any]:
    """Multipart form fields (standard library parser: no python-multipart needed); files as
    ``"<file NAME>"``."""
    message = email.parser.BytesParser().parsebytes(
        f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode("latin-1") + raw
    )
    pairs = []
    for part in message.walk():
        name = part.get_param("name", header="content-disposition")
        if part.is_multipart() or name is None:
            continue
        filename = part.get_filename()
        payload = part.get_payload(decode=True)
        text = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""
        pairs.append((str(name), f"<file {filename}>" if filename else text))
    return grouped(pairs)


def parse_body(raw: bytes, content_type: str) -> Any:
    """The body as the log shows it (see the module docstring)."""
    if not raw.strip():
        return None
    kind = content_type.split(";")[0].strip().lower()
    if kind == "multipart/form-data":
        return parse_multipart(raw, content_type)
    if kind == "application/x-www-form-urlencoded":
        return grouped(parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True))
    text = raw.decode("utf-8", "replace")
    try:
        return json.loads(text)
    except ValueError:
        return text


class RequestLogFile:
    """Appends request lines to ``path`` (created with its directory, mode 0600)."""

    def __init__(self, path: str | os.PathLike[str], secrets: Iterable[str] = ()) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._secrets = [s for s in secrets if s]
        self._lock = threading.Lock()

    def line(self, method: str, path: str, query: dict[str, Any], body: Any, status: int) -> str:
        keys = TOKEN_SECRET_KEYS if path == "/oauth/token" else SECRET_KEYS
        entry = {
            "method": method,
            "path": path,
            "query": redact(query, keys),
            "body": redact(body, keys),
            "status": status,
        }
        text = _BEARER.sub(lambda m: f"{m.group(1)} {REDACTED}", json.dumps(entry, ensure_ascii=False))
        for secret in self._secrets:
            text = text.replace(json.dumps(secret)[1:-1], REDACTED)
        return text + "\n"

    def append(self, method: str, path: str, query: dict[str, Any], body: Any, status: int) -> None:
        data = self.line(method, path, query, body, status).encode("utf-8")
        with self._lock:
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                if fcntl is not None:
                    fcntl.flock(fd, fcntl.LOCK_EX)
                os.write(fd, data)
            finally:
                if fcntl is not None:
                    fcntl.flock(fd, fcntl.LOCK_UN)
                os.close(fd)
