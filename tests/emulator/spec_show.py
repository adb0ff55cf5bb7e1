"""One record of every resource, and the operation whose response documents how Show renders it
(``test_spec_conformance.test_show_renders_only_documented_keys``)."""

from __future__ import annotations

from procore_emulator import RESOURCES, Op

from .conftest import COMPANY_ID, Api
from .world import World, build_world, ok

SHOW_OPERATIONS = {
    **{
        name: spec.operation_ids[Op.SHOW] for name, spec in RESOURCES.items() if Op.SHOW in spec.operation_ids
    },
    "requisition_items": RESOURCES["requisition_items"].operation_ids[Op.LIST],
    "wbs_codes": "RestV10ProjectsProjectIdWorkBreakdownStructureWbsCodesGet",
}


def build_every_record(api: Api) -> None:
    world = build_world(api)
    pid = world.pid
    wo = world.commitment()
    po = world.commitment(kind="purchase_order_contracts")
    world.sov("work_order_contracts", wo["id"], world.line(origin_id="s:1", amount="10"))
    world.sov("purchase_order_contracts", po["id"], world.line(origin_id="s:2", amount="10"))
    world.approve("work_order_contracts", wo["id"])
    dc = world.direct_cost()
    ok(
        api.post(
            f"/rest/v1.0/projects/{pid}/direct_costs/{dc['id']}/line_items", {"line_item": world.line()}
        ),
        201,
    )
    ok(api.post("/rest/v1.0/budget_line_items", {"project_id": pid, "budget_line_item": world.line()}), 201)
    ok(
        api.post(
            "/rest/v1.0/change_order_packages",
            {"project_id": pid, "contract_id": wo["id"], "change_order": {}},
        ),
        201,
    )
    order = ok(
        api.post(
            f"/rest/v1.0/projects/{pid}/commitment_change_orders", {"change_order": {"contract_id": wo["id"]}}
        ),
        201,
    )
    wbs = str(world.wbs_code()["id"])
    lines = (
        f"/rest/v2.0/companies/{COMPANY_ID}/projects/{pid}/commitment_change_orders/{order['id']}/line_items"
    )
    ok(api.post(lines, {"wbs_code_id": wbs, "amount": "5.00"}), 201)
    ok(api.post("/rest/v1.1/requisitions", {"project_id": pid, "commitment_id": wo["id"]}), 201)
    ok(
        api.post(
            "/rest/v1.0/contract_payments",
            {"project_id": pid, "contract_id": wo["id"], "contract_payment": {"amount": "1"}},
        ),
        201,
    )
    _change_orders_and_prime_contracts(world, wo["id"])


def _change_orders_and_prime_contracts(world: World, contract_id: int) -> None:
    api, pid = world.api, world.pid
    pco = ok(
        api.post(
            "/rest/v1.0/potential_change_orders",
            {"project_id": pid, "contract_id": contract_id, "change_order": {}},
        ),
        201,
    )
    ok(
        api.post(
            f"/rest/v1.0/potential_change_orders/{pco['id']}/line_items",
            {"project_id": pid, "line_item": world.line(amount="3.00")},
        ),
        201,
    )
    pc = ok(api.post("/rest/v1.0/prime_contract", {"project_id": pid, "prime_contract": {}}), 201)
    ok(
        api.post(
            f"/rest/v1.0/prime_contracts/{pc['id']}/line_items?project_id={pid}",
            {"project_id": pid, "line_item": world.line()},
        ),
        201,
    )
