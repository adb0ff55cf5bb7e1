"""The README's table of integration points, generated from the declarations (developer tooling).

``python -m devtools.docs`` rewrites the table between the README's markers; a test fails when the
README and the declarations disagree.
"""

from __future__ import annotations

import sys

from erp_sync.declarations import in_dependency_order

from devtools.localrun import REPO_ROOT

START, END = "<!-- integration-points:start -->", "<!-- integration-points:end -->"
README = REPO_ROOT / "README.md"


def points_table() -> str:
    """One row per declared point, in dependency order; endpoints and references as declared."""
    lines = [
        "| tier | point | Procore endpoints used | canonical extract columns (what your SQL returns) "
        "| ERP key | references | what Procore locks "
        "| money (which call carries it; what your SQL returns) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for p in in_dependency_order():
        endpoints = "<br>".join(f"`{e}`" for e in p.procore_endpoints)
        columns = ", ".join(f"`{c}`" for c in p.canonical_columns)
        refs = (
            ", ".join(f"{r.point} (`{r.key}`{', optional' if r.optional else ''})" for r in p.references)
            or "—"
        )
        lines.append(
            f"| {p.tier} | {p.title} (`{p.name}`) | {endpoints} | {columns} | `{p.key}` | {refs} "
            f"| {p.locks} | {p.money or '—'} |"
        )
    return "\n".join(lines)


def render(readme: str) -> str:
    """The README text with its points table replaced by the generated one."""
    head, rest = readme.split(START, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{START}\n{points_table()}\n{END}{tail}"


def main() -> int:
    """Rewrites the README's table in place."""
    README.write_text(render(README.read_text()))
    print(f"updated the integration points table in {README}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
