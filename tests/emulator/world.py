"""A small Procore world for the financial resources' tests: one vendor, one project with two cost
codes (a division and a child), two cost types, and helpers to add commitments and their lines."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import requests

from .conftest import COMPANY_ID, Api


def ok(response: requests.Response, status: int = 200) -> Any:
    assert response.status_code == status, f"{response.status_code}: {response.text}"
    return response.json() if response.content else None


@dataclass
class World:
    api: Api
    vendor: dict[str, Any]
    project: dict[str, Any]
    division: dict[str, Any]
    cost_code: dict[str, Any]
    labor: dict[str, Any]
    materials: dict[str, Any]

    @property
    def pid(self) -> int:
        return self.project["id"]

    # builders -------------------------------------------------------------------------------------

    def line(self, **fields: Any) -> dict[str, Any]:
        """A schedule-of-values / direct cost line naming this world's budget code."""
        return {"cost_code_id": self.cost_code["id"], "line_item_type_id": self.labor["id"], **fields}

    def wbs_code(self, cost_code: dict[str, Any] | None = None, kind: dict[str, Any] | None = None) -> dict:
        """The project's WBS code for a (cost code, cost type) pair (this world's budget code by default)."""
        codes = ok(self.api.get(f"/rest/v1.0/projects/{self.pid}/work_breakdown_structure/wbs_codes"))
        code_id, kind_id = (cost_code or self.cost_code)["id"], (kind or self.labor)["id"]
        return next(c for c in codes if [s["id"] for s in c["segment_items"]] == [code_id, kind_id])

    def commitment(self, kind: str = "work_order_contracts", **fields: Any) -> dict[str, Any]:
        singular = kind[:-1]
        body = {
            "project_id": self.pid,
            singular: {"title": "Sitework", "vendor_id": self.vendor["id"], **fields},
        }
        return ok(self.api.post(f"/rest/v1.0/{kind}", body), 201)

    def sov_sync(self, kind: str, contract_id: int, items: list[dict[str, Any]]) -> requests.Response:
        return self.api.patch(
            f"/rest/v1.0/{kind}/{contract_id}/line_items/sync?project_id={self.pid}", {"updates": items}
        )

    def sov(self, kind: str, contract_id: int, *lines: dict[str, Any]) -> list[dict[str, Any]]:
        body = ok(self.sov_sync(kind, contract_id, list(lines)))
        assert body["errors"] == [], body["errors"]
        return body["entities"]

    def direct_cost(self, **fields: Any) -> dict[str, Any]:
        item = {
            "invoice_number": "INV-1",
            "vendor_id": self.vendor["id"],
            "direct_cost_type": "invoice",
            **fields,
        }
        return ok(self.api.post(f"/rest/v1.0/projects/{self.pid}/direct_costs", {"item": item}), 201)

    def approve(self, resource: str, record_id: int, status: str = "Approved") -> dict[str, Any]:
        """A Procore user approves the record in the web UI."""
        return self.api.emu.state.patch(resource, record_id, {"status": status})


def build_world(api: Api, suffix: str = "1") -> World:
    (vendor,) = api.synced(
        "vendors", [{"origin_id": f"erp:vendor:{suffix}", "name": f"Acme Concrete {suffix}"}]
    )["entities"]
    (project,) = api.synced("projects", [{"origin_id": f"erp:job:{suffix}", "name": f"Job {suffix}"}])[
        "entities"
    ]
    pid = project["id"]
    codes = ok(
        api.patch(
            f"/rest/v1.0/cost_codes/sync?project_id={pid}",
            {"updates": [{"origin_id": f"erp:cc:{suffix}:03", "code": "03", "name": "Concrete"}]},
        )
    )["entities"]
    division = codes[0]
    child = ok(
        api.patch(
            f"/rest/v1.0/cost_codes/sync?project_id={pid}",
            {
                "updates": [
                    {
                        "origin_id": f"erp:cc:{suffix}:03-100",
                        "code": "100",
                        "name": "Formwork",
                        "parent_id": division["id"],
                    }
                ]
            },
        )
    )["entities"][0]
    types = ok(
        api.patch(
            "/rest/v1.0/line_item_types/sync",
            {
                "company_id": COMPANY_ID,
                "updates": [
                    {
                        "origin_id": f"erp:ct:{suffix}:L",
                        "name": f"Labor {suffix}",
                        "csv_import_code": f"L{suffix}",
                        "base_type": "other",
                    },
                    {
                        "origin_id": f"erp:ct:{suffix}:M",
                        "name": f"Materials {suffix}",
                        "csv_import_code": f"M{suffix}",
                        "base_type": "materials",
                    },
                ],
            },
        )
    )
    assert types["errors"] == [], types
    labor, materials = types["entities"]
    return World(api, vendor, project, division, child, labor, materials)
