"""Checks a request log against Procore's operation extracts, request by request and item by item.

The judge is the spec folder (``../shared/procore-spec``: ``INDEX.txt`` and ``operations/*.json``),
not the emulator: each logged request is matched to the exact operation (method + path template +
version) and its body is checked against that operation's request schema: every field known, required
fields present, enums, types, ``date`` / ``date-time`` formats, wrapper objects, and sync items one by
one (an item of a top-level array is reported by its index). Query parameters are checked the same way
(``page``/``per_page`` are accepted on every GET: Procore paginates every list). Where an extract
collapses a schema to ``{}`` or "(nested object)", the content is unknown and accepted. Conventions
the emulator shares: ``null`` is accepted for any field (it clears a value); a ``number`` may be sent as
a decimal string; client credentials may travel as HTTP Basic, which a log does not show, so the token
request's ``client_id``/``client_secret`` are not required.

The log is the emulator's (``--request-log`` / ``PROCORE_EMULATOR_REQUEST_LOG``): one JSON object per
line with ``method``, ``path``, ``query``, ``body`` and ``status``.

    python -m devtools.spec_check LOG [--spec DIR] [--summary-only]

prints one finding per line (line, operation, item, field, problem) and a summary, and exits 1 when
there are findings. :func:`check_log` returns them as :class:`Finding` objects.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

DEFAULT_SPEC = Path(__file__).resolve().parents[2].parent / "shared" / "procore-spec"
PSEUDO_ENUMS = {"Any value present in the Company list of Units of Measure"}
CUSTOM_FIELD = "custom_field_%{custom_field_definition_id}"
PAGINATION = {"page", "per_page"}
TOKEN_CREDENTIALS = ("client_id", "client_secret")
_INDEX_LINE = re.compile(r"^(\w+)\s+(\S+)\s+->\s+(\S+)")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")
_DECIMAL = re.compile(r"^-?\d+(\.\d+)?$")
_INTEGER = re.compile(r"^-?\d+$")


@dataclass(frozen=True)
class Finding:
    """One problem with one request: ``item`` is the index in the body's top-level array (sync
    items), ``field`` the dotted path within the item (or the body / ``query.``), ``line`` the log's
    line number (1-based)."""

    line: int
    operation: str
    item: int | None
    field: str
    problem: str
    status: int | None = None

    def __str__(self) -> str:
        item = f" item {self.item}" if self.item is not None else ""
        field = f" {self.field}:" if self.field else ":"
        status = f" (answered {self.status})" if self.status is not None else ""
        return f"line {self.line} {self.operation}{item}{field} {self.problem}{status}"


@dataclass(frozen=True)
class Operation:
    """One documented operation: its id, method, path template and extract file."""

    id: str
    method: str
    path: str
    file: Path

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        parts = [re.escape(p) if not p.startswith("{") else "[^/]+" for p in self.path.strip("/").split("/")]
        return re.compile("^/" + "/".join(parts) + "/?$")

    @property
    def literal_segments(self) -> int:
        return sum(1 for p in self.path.split("/") if p and not p.startswith("{"))

    @cached_property
    def extract(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.file.read_text())
        return data


class Spec:
    """The spec folder: operations by method, matched to concrete paths (most literal template wins)."""

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.directory = Path(directory)
        index = self.directory / "INDEX.txt"
        if not index.is_file():
            raise FileNotFoundError(f"no INDEX.txt in {self.directory} (the Procore spec folder)")
        self.operations: list[Operation] = []
        for raw in index.read_text().splitlines():
            match = _INDEX_LINE.match(raw.strip())
            if match:
                method, path, file = match.groups()
                target = self.directory / file
                self.operations.append(Operation(target.stem, method.upper(), path, target))

    def match(self, method: str, path: str) -> Operation | None:
        candidates = [o for o in self.operations if o.method == method.upper() and o.pattern.match(path)]
        return max(candidates, key=lambda o: o.literal_segments, default=None)


class _Collector:
    """Accumulates findings for one request."""

    def __init__(self, line: int, operation: str, status: int | None) -> None:
        self.line, self.operation, self.status = line, operation, status
        self.findings: list[Finding] = []

    def add(self, field: str, problem: str, item: int | None = None) -> None:
        self.findings.append(Finding(self.line, self.operation, item, field, problem, self.status))


def collapsed(schema: dict[str, Any]) -> bool:
    """The extract lost this schema's content: anything is accepted there."""
    if schema == {}:
        return True
    return schema.get("type") == "object" and not schema.get("properties") and "(nested" in str(schema)


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _scalar_problem(value: Any, schema: dict[str, Any]) -> str | None:
    """Why a scalar does not fit its schema (type, format, enum), or None."""
    kind, fmt = schema.get("type"), schema.get("format")
    if kind == "string":
        if not isinstance(value, str):
            return f"must be a string, got {type(value).__name__}"
        if fmt == "date" and not _valid(value, _DATE, dt.date.fromisoformat):
            return f"must be a date (YYYY-MM-DD), got {value!r}"
        if fmt == "date-time" and not _valid(value, _DATETIME, _parse_datetime):
            return f"must be an ISO 8601 date-time, got {value!r}"
        if fmt in ("float", "decimal") and not _DECIMAL.match(value.strip()):
            return f"must be a decimal number in a string, got {value!r}"
    elif kind == "integer" and (isinstance(value, bool) or not isinstance(value, int)):
        return f"must be an integer, got {type(value).__name__} {value!r}"
    elif kind == "number" and not _is_number(value):
        return f"must be a number, got {type(value).__name__} {value!r}"
    elif kind == "boolean" and not isinstance(value, bool):
        return f"must be true or false, got {value!r}"
    enum = [e for e in schema.get("enum") or [] if e is not None]
    if enum and not set(enum) <= PSEUDO_ENUMS and value not in enum:
        return f"{value!r} is not one of {', '.join(map(str, enum))}"
    return None


def _valid(value: str, pattern: re.Pattern[str], parse: Callable[[str], Any]) -> bool:
    if not pattern.match(value):
        return False
    try:
        parse(value)
    except ValueError:
        return False
    return True


def _parse_datetime(value: str) -> Any:
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))


def _is_number(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    return isinstance(value, int | float) or (isinstance(value, str) and bool(_DECIMAL.match(value.strip())))


def check_value(value: Any, schema: dict[str, Any], path: str, item: int | None, out: _Collector) -> None:
    """Checks ``value`` against ``schema`` recursively, reporting under ``path``."""
    if value is None or collapsed(schema):
        return
    if schema.get("type") == "object" or schema.get("properties"):
        if not isinstance(value, dict):
            out.add(path, f"must be an object, got {type(value).__name__}", item)
            return
        _check_object(value, schema, path, item, out)
    elif schema.get("type") == "array":
        if not isinstance(value, list):
            out.add(path, f"must be an array, got {type(value).__name__}", item)
            return
        for index, element in enumerate(value):
            check_value(element, schema.get("items") or {}, f"{path}[{index}]", item, out)
    else:
        problem = _scalar_problem(value, schema)
        if problem:
            out.add(path, problem, item)


def _check_object(
    value: dict[str, Any],
    schema: dict[str, Any],
    path: str,
    item: int | None,
    out: _Collector,
    itemised: frozenset[str] = frozenset(),
) -> None:
    props = schema.get("properties") or {}
    if not props:
        return  # an object the extract leaves open (origin_custom_fields)
    for key, sub in value.items():
        if key in itemised:
            for index, element in enumerate(sub):
                check_value(element, props[key].get("items") or {}, "", index, out)
        elif key in props:
            check_value(sub, props[key], _join(path, key), item, out)
        elif not (CUSTOM_FIELD in props and re.fullmatch(r"custom_field_\d+", key)):
            out.add(_join(path, key), "unknown field: this operation does not document it", item)
    for key in schema.get("required") or []:
        if key not in value:
            out.add(_join(path, key), "required field missing", item)
        elif value[key] is None:
            out.add(_join(path, key), "required field is null", item)


def check_body(op: Operation, body: Any, out: _Collector) -> None:
    """The body against the operation's request schema; items of top-level arrays one by one."""
    request = op.extract.get("requestBody")
    if request is None:
        if body not in (None, {}, [], ""):
            out.add("", "this operation takes no request body")
        return
    schema = dict(request.get("schema") or {})
    if body is None:
        if request.get("required"):
            out.add("", "request body missing")
        return
    if op.id == "OauthTokenPost":  # the credentials may travel as HTTP Basic, which a log does not show
        schema["required"] = [r for r in schema.get("required") or [] if r not in TOKEN_CREDENTIALS]
    if not isinstance(body, dict) or not schema.get("properties"):
        check_value(body, schema, "", None, out)
        return
    itemised = frozenset(
        k
        for k, p in schema["properties"].items()
        if p.get("type") == "array"
        and isinstance(body.get(k), list)
        and ((p.get("items") or {}).get("type") == "object" or collapsed(p.get("items") or {}))
    )
    _check_object(body, schema, "", None, out, itemised)


def _query_value_problem(raw: str, schema: dict[str, Any]) -> str | None:
    kind = schema.get("type")
    if kind == "array":
        kind = (schema.get("items") or {}).get("type")
    parts = [p.strip() for p in raw.split(",")] if kind == "integer" else [raw]
    if kind == "integer" and not all(_INTEGER.match(p) for p in parts if p):
        return f"must be an integer, got {raw!r}"
    if kind == "boolean" and raw.strip().lower() not in ("true", "false", "1", "0"):
        return f"must be true or false, got {raw!r}"
    enum = [str(e) for e in schema.get("enum") or [] if e is not None]
    if enum and raw not in enum:
        return f"{raw!r} is not one of {', '.join(enum)}"
    return None


def check_query(op: Operation, method: str, query: dict[str, Any], out: _Collector) -> None:
    """Query parameters documented (``filters[x]`` and ``filters[x][]`` alike), typed, required present."""
    documented = {
        p["name"].removesuffix("[]"): p for p in op.extract.get("parameters", []) if p.get("in") == "query"
    }
    for key, values in query.items():
        name = key.removesuffix("[]")
        param = documented.get(name)
        if param is None:
            if not (method == "GET" and name in PAGINATION):
                out.add(f"query.{key}", "unknown query parameter: this operation does not document it")
            continue
        for raw in values if isinstance(values, list) else [values]:
            problem = _query_value_problem(str(raw), param.get("schema") or {})
            if problem:
                out.add(f"query.{key}", problem)
    sent = {k.removesuffix("[]") for k in query}
    for name, param in documented.items():
        if param.get("required") and name not in sent:
            out.add(f"query.{name}", "required query parameter missing")


def check_path(op: Operation, path: str, out: _Collector) -> None:
    """Integer path parameters must be integers."""
    kinds = {p["name"]: (p.get("schema") or {}).get("type") for p in op.extract.get("parameters", [])}
    for template, actual in zip(op.path.strip("/").split("/"), path.strip("/").split("/"), strict=False):
        name = template.strip("{}")
        if template.startswith("{") and kinds.get(name) == "integer" and not _INTEGER.match(actual):
            out.add(f"path.{name}", f"must be an integer, got {actual!r}")


def check_entry(spec: Spec, entry: dict[str, Any], line: int) -> list[Finding]:
    """The findings for one logged request."""
    method, path = str(entry.get("method", "")).upper(), str(entry.get("path", ""))
    op = spec.match(method, path)
    status = entry.get("status")
    if op is None:
        out = _Collector(line, f"{method} {path}", status)
        out.add("", "no documented operation matches this method and path")
        return out.findings
    out = _Collector(line, op.id, status)
    check_path(op, path, out)
    check_query(op, method, entry.get("query") or {}, out)
    check_body(op, entry.get("body"), out)
    return out.findings


def read_log(lines: Iterable[str]) -> Iterable[tuple[int, dict[str, Any] | None]]:
    for number, raw in enumerate(lines, start=1):
        if raw.strip():
            try:
                yield number, json.loads(raw)
            except ValueError:
                yield number, None


def check_lines(lines: Iterable[str], spec: Spec) -> list[Finding]:
    findings: list[Finding] = []
    for number, entry in read_log(lines):
        if not isinstance(entry, dict):
            findings.append(Finding(number, "-", None, "", "not a JSON object"))
            continue
        findings.extend(check_entry(spec, entry, number))
    return findings


def check_log(log: str | os.PathLike[str], spec_dir: str | os.PathLike[str] | None = None) -> list[Finding]:
    """Every finding of every request in the log file ``log``."""
    spec = Spec(spec_dir or os.environ.get("PROCORE_SPEC_DIR") or DEFAULT_SPEC)
    with open(log, encoding="utf-8") as handle:
        return check_lines(handle, spec)


def summary(findings: Iterable[Finding]) -> list[tuple[int, str, str, str]]:
    """(count, operation, field with indexes dropped, problem), most frequent first."""
    counts = Counter(
        (f.operation, re.sub(r"\[\d+\]", "[]", f.field), re.sub(r"got .*", "got ...", f.problem))
        for f in findings
    )
    return [(n, op, field, problem) for (op, field, problem), n in counts.most_common()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devtools.spec_check", description=__doc__.split("\n")[0])
    parser.add_argument("log", help="the request log (JSON lines)")
    parser.add_argument(
        "--spec", default=None, help="the spec folder (default $PROCORE_SPEC_DIR or ../shared)"
    )
    parser.add_argument("--summary-only", action="store_true", help="print the summary, not every finding")
    args = parser.parse_args(argv)
    try:
        findings = check_log(args.log, args.spec)
    except FileNotFoundError as exc:
        print(f"spec_check: {exc}", file=sys.stderr)
        return 2
    if not args.summary_only:
        for finding in findings:
            print(finding)
    print(f"{len(findings)} finding(s)")
    for count, op, field, problem in summary(findings):
        print(f"{count:6d}  {op}  {field or '-'}: {problem}")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
