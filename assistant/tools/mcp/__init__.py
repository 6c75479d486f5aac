"""Tools from MCP (Model Context Protocol) servers, through the official ``mcp`` SDK.

``McpManager`` starts a session's servers (``manager``), ``McpConnection`` holds one
(``client``), ``adapt`` turns their tools into the agent's ``Tool`` objects (``adapter``),
and ``config`` decides what counts as workspace content (``${VAR}`` expansion is in
``assistant.envexpand``).
"""

from __future__ import annotations

from assistant.tools.mcp.adapter import adapt, convert_result, tool_name
from assistant.tools.mcp.client import Launch, McpConnection
from assistant.tools.mcp.manager import McpManager

__all__ = ["Launch", "McpConnection", "McpManager", "adapt", "convert_result", "tool_name"]
