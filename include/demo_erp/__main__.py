"""Command line: ``python -m demo_erp seed|info --url …`` (also installed as ``demo-erp``)."""

from __future__ import annotations

import argparse
import sys

import sqlalchemy as sa

from demo_erp.generator import GenerationReport, load_report
from demo_erp.ops import make_engine, row_counts, seed
from demo_erp.schema import demo_meta

DEFAULT_URL = "sqlite:///demo_erp.sqlite"


def _print_counts(counts: dict[str, int], dirty: dict[str, int] | None = None) -> None:
    width = max(len(t) for t in counts)
    print(f"{'table':<{width}}  {'rows':>10}" + (f"  {'dirty':>7}" if dirty is not None else ""))
    for table, count in counts.items():
        extra = f"  {dirty.get(table, 0):>7}" if dirty is not None else ""
        print(f"{table:<{width}}  {count:>10,}{extra}")
    print(
        f"{'total':<{width}}  {sum(counts.values()):>10,}"
        + (f"  {sum(dirty.values()):>7}" if dirty is not None else "")
    )


def _print_dirty(report: GenerationReport) -> None:
    kinds = report.dirty_by_kind()
    if kinds:
        print("\ndirty rows by kind:")
        for kind, count in kinds.items():
            print(f"  {kind:<20} {count:>7,}")
    if report.blocked:
        print(f"  (+ {len(report.blocked):,} clean lines under dirty headers, kind dirty_parent)")


def _dirty_per_table(report: GenerationReport) -> dict[str, int]:
    per: dict[str, int] = {}
    for row in report.dirty:
        per[row.table] = per.get(row.table, 0) + 1
    return per


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``demo-erp``."""
    parser = argparse.ArgumentParser(
        prog="demo-erp", description="Seed or inspect the demo construction ERP."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p_seed = sub.add_parser("seed", help="drop, recreate and fill the demo ERP")
    p_seed.add_argument("--url", default=DEFAULT_URL, help=f"SQLAlchemy URL (default {DEFAULT_URL})")
    p_seed.add_argument("--scale", type=float, default=1.0, help="1 ≈ 120 vendors, 12 jobs (~9k rows)")
    p_seed.add_argument("--dirty-share", type=float, default=0.05, help="share of planted dirty rows")
    p_seed.add_argument("--seed", type=int, default=42)
    p_seed.add_argument("--no-reset", action="store_true", help="fail instead of dropping existing tables")
    p_info = sub.add_parser("info", help="print row counts (and the seed's manifest, if any)")
    p_info.add_argument("--url", default=DEFAULT_URL)
    args = parser.parse_args(argv)

    if args.command == "seed":
        report = seed(
            args.url, scale=args.scale, dirty_share=args.dirty_share, seed=args.seed, reset=not args.no_reset
        )
        print(
            f"seeded {sa.make_url(args.url).render_as_string(hide_password=True)} "
            f"(seed {report.seed}, scale {report.scale:g}, dirty share {report.dirty_share:g}) "
            f"in {report.elapsed_seconds:.1f} s\n"
        )
        _print_counts(report.row_counts, _dirty_per_table(report))
        _print_dirty(report)
        return 0

    engine = make_engine(args.url)
    try:
        if not sa.inspect(engine).has_table(demo_meta.name):
            _print_counts(row_counts(engine))
            return 0
        report = load_report(engine)
    finally:
        engine.dispose()
    print(
        f"seed {report.seed}, scale {report.scale:g}, dirty share {report.dirty_share:g}, "
        f"history {report.history_start} … {report.history_end}\n"
    )
    _print_counts(report.row_counts, _dirty_per_table(report))
    _print_dirty(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
