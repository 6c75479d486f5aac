"""Local ``$ref``s in tool parameters, made resolvable in the one schema of a call grammar.

A tool's parameters (a nested Pydantic model's, say) may point into themselves:
``{"$ref": "#/$defs/Addr"}``. The call grammar nests every tool's parameters under a call
object (``{"name": ..., "arguments": <parameters>}``), where such a pointer no longer
resolves, and llama.cpp's converter resolves ``#/...`` from the root only. So each tool's
parameters are also kept under the root's ``$defs`` and their refs point there.

The converter names a rule after a ref's last part, so definitions are renamed by the
tool's position and their own (two tools' different ``Addr`` would share one rule), with
nothing GBNF cannot hold in a rule name (a recursive ref keeps its name as written).
"""

from __future__ import annotations

import re
from typing import Any

TOOL_DEFS_PREFIX = "tool-params-"
"""The root ``$defs`` key under which a tool's parameters are kept (``tool-params-3``)."""

_DEFS_KEYS = ("$defs", "definitions")
_NOT_IN_A_RULE_NAME = re.compile(r"[^A-Za-z0-9-]+")


def scoped_parameters(
    params: dict[str, Any], index: int
) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """``params`` of the tool at ``index`` with their local refs pointing under the root
    ``$defs``, and the ``$defs`` entry to put there; unchanged and None without refs."""
    if not _has_local_ref(params):
        return params, None
    scope = f"{TOOL_DEFS_PREFIX}{index}"
    names = {
        (key, name): f"t{index}-{j}-{_NOT_IN_A_RULE_NAME.sub('-', name)}"
        for key in _DEFS_KEYS
        if isinstance(params.get(key), dict)
        for j, name in enumerate(params[key])
    }
    renamed = dict(params)
    for key in _DEFS_KEYS:
        if isinstance(params.get(key), dict):
            renamed[key] = {names[(key, name)]: d for name, d in params[key].items()}
    scoped = _rebase_refs(renamed, f"#/$defs/{scope}", names)
    # Without its own $ref: llama.cpp's converter does not look beside a $ref, so the refs
    # inside this copy's definitions would go unresolved.
    return scoped, {scope: {k: v for k, v in scoped.items() if k != "$ref"}}


def with_tool_defs(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` with the ``$defs`` entries :func:`scoped_parameters` made (put beside each
    call's schema) moved to its root, where the converter looks for them."""
    found: dict[str, Any] = {}

    def lift(node: Any) -> Any:
        if isinstance(node, dict):
            defs = node.get("$defs")
            if (
                isinstance(defs, dict)
                and defs
                and all(str(k).startswith(TOOL_DEFS_PREFIX) for k in defs)
            ):
                found.update(defs)
                node = {k: v for k, v in node.items() if k != "$defs"}
            return {k: lift(v) for k, v in node.items()}
        if isinstance(node, list):
            return [lift(x) for x in node]
        return node

    lifted = lift(schema)
    if found:
        lifted["$defs"] = {**lifted.get("$defs", {}), **found}
    return lifted


def _is_local_ref(value: Any) -> bool:
    return isinstance(value, str) and (value == "#" or value.startswith("#/"))


def _has_local_ref(node: Any) -> bool:
    if isinstance(node, dict):
        return any((k == "$ref" and _is_local_ref(v)) or _has_local_ref(v) for k, v in node.items())
    return isinstance(node, list) and any(_has_local_ref(x) for x in node)


def _rebase_ref(ref: str, base: str, names: dict[tuple[str, str], str]) -> str:
    parts = ref[2:].split("/") if ref != "#" else []
    if len(parts) >= 2 and parts[0] in _DEFS_KEYS:
        name = parts[1].replace("~1", "/").replace("~0", "~")  # JSON Pointer escapes
        parts[1] = names.get((parts[0], name), parts[1])
    return "/".join([base, *parts])


def _rebase_refs(node: Any, base: str, names: dict[tuple[str, str], str]) -> Any:
    """``node`` with every local ``$ref`` pointing at the same place under ``base``."""
    if isinstance(node, dict):
        return {
            k: _rebase_ref(v, base, names)
            if k == "$ref" and _is_local_ref(v)
            else _rebase_refs(v, base, names)
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [_rebase_refs(x, base, names) for x in node]
    return node
