"""Pairing a sync response's ``entities``/``errors`` back to the submitted items (no HTTP)."""

from __future__ import annotations

from procore_provider.hooks import match_sync_response


def test_matches_by_origin_id_regardless_of_response_order():
    items = [{"origin_id": "a", "name": "A"}, {"origin_id": "b"}, {"origin_id": "c", "name": "C"}]
    payload = {
        "entities": [{"id": 3, "origin_id": "c", "name": "C"}, {"id": 1, "origin_id": "a", "name": "A"}],
        "errors": [{"origin_id": "b", "errors": {"name": ["can't be blank"]}}],
    }
    outcomes = match_sync_response(items, payload, offset=10)
    assert [o.index for o in outcomes] == [10, 11, 12]
    assert outcomes[0].ok and outcomes[0].entity["id"] == 1
    assert not outcomes[1].ok and outcomes[1].errors == {"name": ["can't be blank"]}
    assert outcomes[2].entity["id"] == 3


def test_falls_back_to_id_and_reports_missing_items():
    items = [{"id": 5, "name": "x"}, {"id": 6, "name": "y"}, {"origin_id": "z"}]
    payload = {
        "entities": [{"id": 5, "origin_id": "old", "name": "x"}],
        "errors": [{"id": 6, "name": "y", "errors": {"id": ["Entity with this ID not found"]}}],
    }
    outcomes = match_sync_response(items, payload)
    assert outcomes[0].ok
    assert outcomes[1].errors == {"id": ["Entity with this ID not found"]}
    assert outcomes[2].errors == {"base": ["missing from Procore's sync response"]}
    assert not outcomes[2].ok and outcomes[2].transport_error is None


def test_duplicate_keys_are_matched_in_order_with_errors_to_their_own_item():
    items = [
        {"origin_id": "d", "name": ""},
        {"origin_id": "d", "name": "ok"},
        {"origin_id": "d", "name": "again"},
    ]
    payload = {
        "entities": [{"id": 1, "origin_id": "d", "name": "ok"}, {"id": 1, "origin_id": "d", "name": "again"}],
        "errors": [{"origin_id": "d", "name": "", "errors": {"name": ["can't be blank"]}}],
    }
    outcomes = match_sync_response(items, payload)
    assert outcomes[0].errors == {"name": ["can't be blank"]}
    assert outcomes[1].entity["name"] == "ok"
    assert outcomes[2].entity["name"] == "again"


def test_keyless_items_and_plain_array_payload():
    items = [{"name": "new 1"}, {"name": ""}, {"name": "new 2"}]
    payload = {
        "entities": [
            {"id": 8, "origin_id": None, "name": "new 1"},
            {"id": 9, "origin_id": None, "name": "new 2"},
        ],
        "errors": [{"name": "", "errors": ["Name is required"]}],
    }
    outcomes = match_sync_response(items, payload)
    assert [o.entity["id"] if o.entity else None for o in outcomes] == [8, None, 9]
    assert outcomes[1].errors == {"base": ["Name is required"]}
    # budget line items' sync returns a bare list of entities
    outcomes = match_sync_response([{"name": "b"}], [{"id": 1, "name": "b"}])
    assert outcomes[0].ok


def test_string_and_int_keys_compare_equal():
    outcomes = match_sync_response(
        [{"origin_id": 12}], {"entities": [{"id": 1, "origin_id": "12"}], "errors": []}
    )
    assert outcomes[0].ok


def test_a_plain_array_answer_pairs_refused_items_and_entities_by_their_references():
    """Budget lines: no origin_id, a plain array answer holding entities and refused items."""
    items = [
        {"cost_code_id": 1, "line_item_type_id": 7, "original_budget_amount": 10},
        {"cost_code_id": 2, "line_item_type_id": 7, "original_budget_amount": -5},
        {"cost_code_id": 3, "line_item_type_id": 7, "original_budget_amount": 30},
    ]
    payload = [
        {"id": 903, "cost_code": {"id": 3}, "line_item_type_id": 7},
        {**items[1], "errors": {"original_budget_amount": ["must be positive"]}},
        {"id": 901, "cost_code_id": 1, "line_item_type_id": 7},
    ]
    outcomes = match_sync_response(items, payload)
    assert outcomes[0].ok and outcomes[0].entity["id"] == 901
    assert not outcomes[1].ok and outcomes[1].errors == {"original_budget_amount": ["must be positive"]}
    assert outcomes[2].ok and outcomes[2].entity["id"] == 903
