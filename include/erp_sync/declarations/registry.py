"""The registry of integration points: every declared point, checked as a whole, in Procore's order.

A point joins the pipeline by being listed in its tier's ``POINTS``; the DAG, the docs table and
the reports all read this registry.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from erp_sync.declarations.change_orders import POINTS as TIER_3_CHANGE_ORDERS
from erp_sync.declarations.model import IntegrationPoint
from erp_sync.declarations.tier1 import POINTS as TIER_1
from erp_sync.declarations.tier2 import POINTS as TIER_2
from erp_sync.declarations.tier3 import POINTS as TIER_3
from erp_sync.declarations.tier4 import POINTS as TIER_4


def registry_of(points: Iterable[IntegrationPoint]) -> dict[str, IntegrationPoint]:
    """Points by name, checked: names unique, dependencies declared, of an earlier or equal tier."""
    registry: dict[str, IntegrationPoint] = {}
    for point in points:
        if point.name in registry:
            raise ValueError(f"integration point {point.name!r} is declared twice")
        registry[point.name] = point
    check_points(registry)
    return registry


def check_points(points: Mapping[str, IntegrationPoint]) -> None:
    """Every dependency names a declared point of an earlier or equal tier, and none is circular."""
    for point in points.values():
        for name in point.depends_on:
            if name not in points:
                raise ValueError(f"{point.name} depends on undeclared point {name!r}")
            if points[name].tier > point.tier:
                raise ValueError(f"{point.name} (tier {point.tier}) depends on {name} of a later tier")
    in_dependency_order(points)


def get_point(name: str) -> IntegrationPoint:
    """The declared point of that name; the error lists the declared ones."""
    try:
        return POINTS[name]
    except KeyError:
        raise KeyError(f"unknown integration point {name!r}; declared: {', '.join(POINTS)}") from None


def in_dependency_order(points: Mapping[str, IntegrationPoint] | None = None) -> list[IntegrationPoint]:
    """Points in Procore's order: by tier, each after everything it depends on."""
    ordered: list[IntegrationPoint] = []
    done: set[str] = set()
    pending = sorted((POINTS if points is None else points).values(), key=lambda p: p.tier)
    while pending:
        ready = next((p for p in pending if all(d in done for d in p.depends_on)), None)
        if ready is None:
            raise ValueError(f"circular dependencies among {', '.join(p.name for p in pending)}")
        ordered.append(ready)
        done.add(ready.name)
        pending.remove(ready)
    return ordered


# Every declared point, in declaration order (the DAG params list them in dependency order).
POINTS: dict[str, IntegrationPoint] = registry_of((*TIER_1, *TIER_2, *TIER_3, *TIER_3_CHANGE_ORDERS, *TIER_4))
