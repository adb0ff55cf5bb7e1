"""The operation vocabulary: what a request does to a resource.

Plain data with no imports from the package, so attribute rules (``fields.py``), per-operation rules
(``operations.py``) and resource declarations (``schema.py``) can all name operations without
depending on one another.
"""

from __future__ import annotations

from enum import StrEnum


class Op(StrEnum):
    """The operations a resource may expose; routes are generated only for those declared."""

    LIST = "list"
    SHOW = "show"
    CREATE = "create"
    UPDATE = "update"
    SYNC = "sync"
    DELETE = "delete"


STANDARD_OPS = frozenset({Op.LIST, Op.SHOW, Op.CREATE, Op.UPDATE, Op.SYNC})
"""The five operations vendors and projects expose (no DELETE)."""

WRITE_OPS = frozenset({Op.CREATE, Op.UPDATE, Op.SYNC})
"""Operations whose request body carries record attributes."""
