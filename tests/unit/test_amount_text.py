"""Amounts reach Procore with the ERP's digits: never through float noise."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
from erp_sync.extract import _portable_scalar
from erp_sync.mappings import decimal_text


def test_exact_text_and_decimals_keep_their_digits_floats_their_shortest_form():
    cells = pd.Series(
        ["98765432109876.54", Decimal("12.3450"), 1500.25, 0.1 + 0.2, -19393.0, None, "Infinity", "n/a"],
        dtype=object,
    )
    assert decimal_text(cells).tolist() == [
        "98765432109876.54",
        "12.345",
        "1500.25",
        "0.3",
        "-19393",
        None,
        "Infinity",  # left as text: validation rejects it naming the field
        "n/a",
    ]


def test_a_decimal_read_from_postgresql_or_mariadb_is_staged_as_its_exact_text():
    assert _portable_scalar(Decimal("98765432109876.54")) == "98765432109876.54"
    assert decimal_text(pd.Series([_portable_scalar(Decimal("98765432109876.54"))])).tolist() == [
        "98765432109876.54"
    ]
