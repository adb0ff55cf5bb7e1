"""The README's integration points table is the one the declarations generate."""

from __future__ import annotations

from devtools.docs import README, render


def test_readme_points_table_matches_declarations():
    readme = README.read_text()
    assert render(readme) == readme, "run `python -m devtools.docs` to regenerate the README table"
