"""Every row held back has a ledger entry of its own: rows without an ERP key, or with one too long."""

from __future__ import annotations

import re

import pandas as pd
from erp_sync.declarations import VENDORS
from erp_sync.validate import MAX_KEY_LENGTH, ledger_keys, long_key_reasons


def test_rows_without_a_key_get_one_each_from_their_values_stable_across_runs():
    rows = pd.DataFrame(
        {"vendor_number": [None, None, "V1"], "name": ["A", "B", "C"], "updated_at": ["t1", "t2", "t3"]}
    )
    keys = pd.Series([pd.NA, pd.NA, "V1"], dtype="string")
    recorded = ledger_keys(keys, rows)
    assert recorded.iloc[2] == "V1"
    assert recorded.iloc[0].startswith("row:") and recorded.iloc[1].startswith("row:")
    assert recorded.iloc[0] != recorded.iloc[1]
    touched = rows.assign(updated_at=["t9", "t9", "t9"])
    assert ledger_keys(keys, touched).tolist() == recorded.tolist(), "a change time alone keeps the key"


def test_a_key_too_long_is_rejected_by_name_and_recorded_under_a_short_unique_one():
    long_a, long_b = "V" + "x" * 299, "V" + "x" * 298 + "y"
    keys = pd.Series([long_a, long_b, "V2"], dtype="string")
    reasons = long_key_reasons(VENDORS, keys)
    assert reasons.iloc[2] is pd.NA
    assert "record: ERP key of 300 characters, longer than 255" in reasons.iloc[0]
    assert "vendors.sql" in reasons.iloc[0] and reasons.iloc[0].startswith("vendors vendor_no=Vxxx")
    recorded = ledger_keys(keys, None)
    assert all(len(k) <= MAX_KEY_LENGTH for k in recorded) and recorded.iloc[0] != recorded.iloc[1]


def test_a_key_typed_in_composed_or_decomposed_unicode_is_one_key():
    from erp_sync.declarations import compose_keys

    rows = pd.DataFrame({"vendor_number": ["Zo\u00eb-1", "Zoe\u0308-1"]})
    keys = compose_keys(rows, "{vendor_number}")
    assert keys.iloc[0] == keys.iloc[1] == "Zo\u00eb-1"


def test_c1_controls_and_unicode_line_separators_are_rejected_by_code_point_emoji_are_not():
    import pytest
    from erp_sync.payloads import VendorPayload
    from pydantic import ValidationError

    for bad, code in (("Acme\x85Corp", "U+0085"), ("Acme\u2028Corp", "U+2028"), ("Acme\x07", "U+0007")):
        with pytest.raises(ValidationError, match=re.escape(f"contains control character {code}")):
            VendorPayload(origin_id="erp:vendor:1", origin_code="1", name=bad)
    odd = "👷\u200d♀\ufe0f Builders Zoe\u0308"
    assert VendorPayload(origin_id="erp:vendor:1", origin_code="1", name=odd).name == odd
