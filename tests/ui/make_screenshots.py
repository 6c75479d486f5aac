"""Regenerate the README screenshots: python -m tests.ui.make_screenshots (writes docs/screenshots/)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from tests.ui.conftest import make_app
from tests.ui.replay import ReplayAgent, approval_script

OUT = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
SIZE = (110, 44)


async def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        app.prompt.load_text("The greeting test fails, fix it")
        await pilot.press("enter")
        await app.wait_idle(10)
        await pilot.pause(0.3)
        app.save_screenshot(str(OUT / "conversation.svg"))
    app = make_app(ReplayAgent(approval_script()))
    async with app.run_test(size=SIZE) as pilot:
        app.prompt.load_text("fix the greeting in @greet.py")
        await pilot.press("enter")
        while app.pending_approval is None:
            await asyncio.sleep(0.02)
        await pilot.pause(0.3)
        app.save_screenshot(str(OUT / "approval.svg"))


if __name__ == "__main__":
    asyncio.run(main())
