"""distill: teachers drive the agent loop to generate verified tool-use training data.

The command is :data:`assistant.distill.cli.distill_app` (a Typer app); the library
entry is :func:`run_distill` with a :class:`DistillConfig`.
"""

from __future__ import annotations

from typing import Any

__all__ = ["DistillConfig", "run_distill"]


def __getattr__(name: str) -> Any:  # lazy: importing the package stays cheap
    if name == "run_distill":
        from assistant.distill.cli import run_distill

        return run_distill
    if name == "DistillConfig":
        from assistant.distill.config import DistillConfig

        return DistillConfig
    raise AttributeError(name)
