"""``python -m procore_emulator`` / ``procore-emulator``: serve the emulator in the foreground.

The client secret may come from ``PROCORE_EMULATOR_CLIENT_SECRET`` instead of the command line
(where it would show in the process list); it is never printed.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys

import uvicorn

from .app import create_app
from .config import EmulatorConfig
from .resources import RESOURCES
from .server import uvicorn_config

SECRET_ENV = "PROCORE_EMULATOR_CLIENT_SECRET"
ADMIN_TOKEN_ENV = "PROCORE_EMULATOR_ADMIN_TOKEN"


def build_parser() -> argparse.ArgumentParser:
    defaults = EmulatorConfig()
    parser = argparse.ArgumentParser(
        prog="procore-emulator", description="Serve the Procore sandbox emulator."
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--client-id", default=os.environ.get("PROCORE_EMULATOR_CLIENT_ID", defaults.client_id)
    )
    parser.add_argument(
        "--client-secret", default=None, help=f"defaults to ${SECRET_ENV}, else the demo secret"
    )
    parser.add_argument("--company-id", type=int, default=defaults.company_id)
    parser.add_argument("--company-name", default=defaults.company_name)
    parser.add_argument("--token-ttl", type=int, default=defaults.token_ttl_seconds, help="seconds")
    parser.add_argument("--hourly-limit", type=int, default=defaults.hourly_limit)
    parser.add_argument("--spike-limit", type=int, default=defaults.spike_limit)
    parser.add_argument("--spike-window", type=float, default=defaults.spike_window_seconds, help="seconds")
    parser.add_argument("--state-file", default=None, help="SQLite file that keeps records across restarts")
    parser.add_argument(
        "--workflow-controlled",
        default="",
        help="comma-separated resources whose status a workflow governs (e.g. work_order_contracts)",
    )
    parser.add_argument(
        "--write-hold-ms", type=int, default=0, help="hold direct cost writes this long (provokes 409)"
    )
    parser.add_argument(
        "--request-log",
        default=None,
        help="append every API and token request to this file as JSON lines (credentials redacted); "
        "defaults to $PROCORE_EMULATOR_REQUEST_LOG",
    )
    parser.add_argument(
        "--admin-token",
        default=None,
        help="require 'Authorization: Bearer TOKEN' on the /_emulator/ admin surface; defaults to "
        f"${ADMIN_TOKEN_ENV} (set it whenever the port is reachable from other hosts)",
    )
    parser.add_argument("--log-level", default="info")
    return parser


def config_from_args(args: argparse.Namespace) -> EmulatorConfig:
    secret = args.client_secret or os.environ.get(SECRET_ENV) or EmulatorConfig().client_secret
    workflow = frozenset(name.strip() for name in args.workflow_controlled.split(",") if name.strip())
    unknown = sorted(workflow - set(RESOURCES))
    if unknown:
        raise ValueError(f"--workflow-controlled: unknown resource(s) {', '.join(unknown)}")
    return EmulatorConfig(
        client_id=args.client_id,
        client_secret=secret,
        company_id=args.company_id,
        company_name=args.company_name,
        token_ttl_seconds=args.token_ttl,
        hourly_limit=args.hourly_limit,
        spike_limit=args.spike_limit,
        spike_window_seconds=args.spike_window,
        state_file=args.state_file,
        workflow_controlled=workflow,
        write_hold_ms=args.write_hold_ms,
        request_log=args.request_log,
        admin_token=args.admin_token or os.environ.get(ADMIN_TOKEN_ENV) or None,
    )


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        config = config_from_args(args)
    except ValueError as exc:
        print(f"procore-emulator: {exc}", file=sys.stderr)
        return 2
    logging.basicConfig(
        level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    logging.getLogger("procore_emulator").info(
        "Procore emulator on http://%s:%s for company %s (%s), client id %s; limits %s/h, %s per %ss%s",
        args.host,
        args.port,
        config.company_id,
        config.company_name,
        config.client_id,
        config.hourly_limit,
        config.spike_limit,
        config.spike_window_seconds,
        (f"; state in {config.state_file}" if config.state_file else "")
        + (f"; requests logged to {config.request_log}" if config.request_log else ""),
    )
    server = uvicorn.Server(
        uvicorn_config(create_app(config), host=args.host, port=args.port, log_level=args.log_level.lower())
    )
    server.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
