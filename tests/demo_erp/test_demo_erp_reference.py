"""The reference data agrees with the ISO authority the audit uses."""

from __future__ import annotations

import pycountry
from demo_erp import reference
from demo_erp_audit import is_subdivision


def test_reference_subdivisions_agree_with_pycountry():
    for country, codes in reference.SUBDIVISIONS.items():
        assert codes == {s.code.split("-")[1] for s in pycountry.subdivisions.get(country_code=country)}
    for country, bad in reference.INVALID_STATES.items():
        assert not any(is_subdivision(country, s) for s in bad)
    assert not any(pycountry.countries.get(alpha_2=c) for c in reference.INVALID_COUNTRIES)
