"""Hypothesis strategies that damage JSON documents: nasty values, replaced or deleted nodes.

Shared by the adapter fuzzing properties and the end-to-end `track` fuzz test.
"""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import strategies as st

nasty_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.sampled_from([10**30, -(10**30), 2**63, -1, 0, 1e308, float("inf"), float("nan")]),
    st.floats(),
    st.text(max_size=30),
    st.sampled_from(
        [
            "",
            " ",
            "9999-12-31T23:59:59",
            "0001-01-01",
            "2026-13-40 25:61:61",
            "2026-11-25T14:23:00+99:00",
            "GMT+99",
            "GMT-3",
            "BRA",
            "US",
            "Delivered",
            "InTransit_Other",
            "SIGNED",
            "[x] y, Z",
            "\x1b[2J",
        ]
    ),
)
json_values = st.recursive(
    nasty_scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)


def _nodes(tree: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path into a JSON tree (the root included)."""
    found = [path]
    if isinstance(tree, dict):
        for k, v in tree.items():
            found += _nodes(v, (*path, k))
    elif isinstance(tree, list):
        for i, v in enumerate(tree):
            found += _nodes(v, (*path, i))
    return found


@st.composite
def damaged(draw: st.DrawFn, tree: Any, keep: tuple[str, ...] = ()) -> Any:
    """A copy of ``tree`` with 1-3 nodes replaced or deleted (``keep``: top keys untouched)."""
    tree = copy.deepcopy(tree)
    for _ in range(draw(st.integers(1, 3))):
        paths = [p for p in _nodes(tree) if not (p and p[0] in keep)]
        path = draw(st.sampled_from(paths))
        if not path:
            if keep:
                continue
            return draw(json_values)
        parent = tree
        for step in path[:-1]:
            parent = parent[step]
        if isinstance(parent, dict) and draw(st.booleans()):
            del parent[path[-1]]
        else:
            parent[path[-1]] = draw(json_values)
    return tree
