"""The demo: seed the embedded demo ERP, start the Procore emulator, run ``erp_to_procore`` twice.

The first run syncs everything; the second (the next night, re-reading every ERP row with no change)
shows that nothing is re-sent: every record is planned as unchanged by its content hash.
Everything lives under ``.data/demo`` and is stopped when the demo ends.
"""

from __future__ import annotations

import argparse
import os
import shutil
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from devtools.localrun import REPO_ROOT, configure_airflow_home, migrate_metadata_db, procore_connection_uri

DEMO_CLIENT_ID = "demo-client-id"
DEMO_COMPANY_ID = 4321
# Settings that would send the demo to a real database, ledger, bucket or Procore connection. The demo
# seeds (drops and re-creates) its ERP tables and writes a ledger: it must only ever touch its own files.
OUTSIDE_WORLD = (
    "PROCORE_SYNC_ERP_URL",
    "PROCORE_SYNC_LEDGER_URL",
    "PROCORE_SYNC_STAGING_URL",
    "PROCORE_SYNC_DATA_DIR",
    "PROCORE_SYNC_SQL_DIR",
    "PROCORE_SYNC_PROCORE_CONN_ID",
    "PROCORE_SYNC_SOURCE_NAME",
)


def isolate(environ: dict[str, str] | os._Environ[str]) -> list[str]:
    """Removes the settings that point outside the demo from ``environ``; returns their names.

    Behaviour settings (e.g. ``PROCORE_SYNC_COMMITMENT_CHANGE_ORDER_TIERS``) are kept: the demo can show
    them. Airflow's own database and home are replaced by the demo's (``configure_airflow_home``).
    """
    ignored = [name for name in OUTSIDE_WORLD if name in environ]
    for name in ignored:
        del environ[name]
    return ignored


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path, default=REPO_ROOT / ".data" / "demo")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--dirty-share", type=float, default=0.05)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args(argv)

    started = time.monotonic()
    for name in isolate(os.environ):
        print(
            f"==> WARNING: {name} is set in your environment and IGNORED: the demo drops and re-creates "
            f"its ERP tables and writes its ledger, so it uses only its own files under {args.data_dir}"
        )
    if args.data_dir.exists():
        shutil.rmtree(args.data_dir)
    args.data_dir.mkdir(parents=True)
    configure_airflow_home(args.data_dir / "airflow")
    os.environ["PROCORE_SYNC_DATA_DIR"] = str(args.data_dir)
    os.environ["PROCORE_SYNC_SOURCE_NAME"] = "demo-erp"
    client_secret = os.urandom(16).hex()

    import demo_erp
    from erp_sync.settings import load_settings
    from procore_emulator import EmulatorConfig, run_emulator

    settings = load_settings()
    print(f"==> seeding the demo ERP ({settings.resolved_erp_url})")
    report = demo_erp.seed(
        settings.resolved_erp_url, scale=args.scale, dirty_share=args.dirty_share, seed=args.seed
    )
    print("    " + ", ".join(f"{table} {count}" for table, count in report.row_counts.items() if count))
    print(f"    dirty rows planted: {len(report.dirty)}")
    print("==> preparing the Airflow metadata database (SQLite)")
    migrate_metadata_db()

    # The demo's first sync makes about 3,700 calls (each subcontractor invoice takes three: created,
    # its money on its items, its status), more than one hour of Procore's documented budget (3,600).
    # In production the hook paces them and what the hour cannot take is retried on the next run; the
    # demo widens the hourly budget, and the spike window, so both runs finish in minutes.
    config = EmulatorConfig(
        client_id=DEMO_CLIENT_ID,
        client_secret=client_secret,
        company_id=DEMO_COMPANY_ID,
        hourly_limit=10_000,
        spike_limit=500,
        spike_window_seconds=10,
    )
    with run_emulator(config) as emulator:
        print(f"==> Procore sandbox emulator on {emulator.base_url}")
        os.environ["AIRFLOW_CONN_PROCORE_DEFAULT"] = procore_connection_uri(
            api_host=emulator.base_url,
            client_id=DEMO_CLIENT_ID,
            client_secret=client_secret,
            company_id=DEMO_COMPANY_ID,
            rate_limit_dir=str(args.data_dir / "ratelimit"),
        )
        from erp_sync.steps import format_summary

        from devtools.localrun import run_dag
        from devtools.money import money_lines

        night = datetime.now(UTC).replace(hour=3, minute=0, second=0, microsecond=0)
        failed = False
        for label, logical_date, conf in (
            ("first run (full)", night - timedelta(days=1), {"mode": "full"}),
            (
                "second run (next night, full re-read, no ERP change: nothing is sent)",
                night,
                {"mode": "full"},
            ),
        ):
            mark = len(emulator.state.request_log)
            print(f"==> running erp_to_procore: {label}")
            state, run_id, summary = run_dag(logical_date, conf)
            entries = emulator.state.request_log[mark:]
            writes = sum(1 for e in entries if e.write)
            print(f"    run {run_id}: {state}; Procore API calls: {len(entries)} ({writes} writes)")
            print("\n" + format_summary(summary) + "\n")
            for line in money_lines(
                settings.resolved_erp_url,
                settings.resolved_ledger_url,
                settings.commitment_change_order_tiers,
                emulator.state.records,
            ):
                print(f"    {line}")
            print()
            failed = failed or state != "success"
        print(f"ledger: {settings.resolved_ledger_url}; staged files: {settings.resolved_staging_url}")
    print(f"==> demo finished in {time.monotonic() - started:.0f} s; emulator stopped")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
