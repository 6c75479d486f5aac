"""The tool registry: look tools up by name and validate arguments before running."""

from __future__ import annotations

import re
from typing import Any

import jsonschema

from assistant.tools.base import Tool


class ToolCallError(Exception):
    """A call the model got wrong; the message goes back to the model so it can correct itself."""


class ToolRegistry:
    def __init__(self, tools: list[Tool] | None = None) -> None:
        self._tools: dict[str, Tool] = {}
        for t in tools or []:
            self.add(t)

    def add(self, tool: Tool) -> None:
        if tool.name in self._tools:
            raise ValueError(f"Tool {tool.name!r} is registered twice.")
        jsonschema.Draft202012Validator.check_schema(tool.parameters)
        self._tools[tool.name] = tool

    def get(self, name: str) -> Tool | None:
        return self._tools.get(name)

    def __contains__(self, name: object) -> bool:
        return name in self._tools

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self._tools.values())

    def __len__(self) -> int:
        return len(self._tools)

    def names(self) -> list[str]:
        return list(self._tools)

    def specs(self) -> list[dict[str, Any]]:
        return [t.spec() for t in self._tools.values()]

    def subset(self, names: list[str]) -> ToolRegistry:
        return ToolRegistry([self._tools[n] for n in names if n in self._tools])

    def validate(self, name: str, arguments: dict[str, Any]) -> Tool:
        """Return the tool, or raise ToolCallError saying what is wrong with the call.
        An integral float given for an integer parameter becomes an int in ``arguments``."""
        tool = self._tools.get(name)
        if tool is None:
            raise ToolCallError(
                f"Unknown tool {name!r}. Available tools: {', '.join(self._tools) or 'none'}."
            )
        if "__raw__" in arguments:
            raise ToolCallError(
                f"The arguments for {name} are not valid JSON: {arguments['__raw__']!r}."
            )
        if found := _lone_surrogate(arguments):
            where, char = found
            raise ToolCallError(
                f"Invalid arguments for {name}: {where} holds {char!r}, half of a UTF-16 "
                "pair and not a character; write the character itself."
            )
        validator = jsonschema.Draft202012Validator(tool.parameters)
        errors = sorted(validator.iter_errors(arguments), key=lambda e: list(e.path))
        if errors:
            details = "; ".join(
                f"{'/'.join(map(str, e.path)) or 'arguments'}: {e.message}" for e in errors[:3]
            )
            raise ToolCallError(f"Invalid arguments for {name}: {details}.")
        _integral_floats_to_ints(tool.parameters, arguments)
        return tool


_SURROGATE = re.compile("[\ud800-\udfff]")


def _lone_surrogate(value: Any, where: str = "") -> tuple[str, str] | None:
    """Where a string in ``value`` holds a lone surrogate (JSON's ``"\\udce9"`` decodes to
    one), and which: a file tool would write it as a raw byte that is not UTF-8."""
    if isinstance(value, str):
        found = _SURROGATE.search(value)
        return (where or "arguments", found.group()) if found else None
    if isinstance(value, dict):
        items = list(value.items())
    elif isinstance(value, list):
        items = list(enumerate(value))
    else:
        return None
    for key, item in items:
        if hit := _lone_surrogate(item, f"{where}/{key}" if where else str(key)):
            return hit
    return None


def _integral_floats_to_ints(schema: dict[str, Any], arguments: dict[str, Any]) -> None:
    """Turn ``5.0`` given for an integer parameter into ``5``, in place: JSON Schema counts
    it as an integer, but Python's ``range`` and slices refuse a float."""
    for name, prop in schema.get("properties", {}).items():
        value = arguments.get(name)
        if isinstance(value, float) and value.is_integer() and _takes_integer(prop):
            arguments[name] = int(value)


def _takes_integer(prop: Any) -> bool:
    if not isinstance(prop, dict):
        return False
    types = prop.get("type")
    if types == "integer" or (isinstance(types, list) and "integer" in types):
        return True
    return any(_takes_integer(p) for p in prop.get("anyOf", []) + prop.get("oneOf", []))
