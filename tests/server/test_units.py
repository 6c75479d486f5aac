"""The server's small parts on their own (no model)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

import pytest

from assistant.llm.base import TextDelta, ToolCall, Usage
from assistant.llm.dialects import DIALECTS
from assistant.server.anthropic_api import stream_events
from assistant.server.engine import JSON_TOOL, Result, StopFilter, _partial_json, json_tool
from assistant.server.errors import APIError, error_body
from assistant.server.queue import FairQueue, QueueFullError


def run_filter(stops: list[str], deltas: list[str]) -> tuple[str, str | None]:
    f = StopFilter(stops)
    out = "".join(f.feed(d) for d in deltas)
    if f.hit is None:
        out += f.flush()
    return out, f.hit


def test_stop_filter_cuts_at_the_first_stop_even_across_deltas() -> None:
    assert run_filter(["END"], ["abc E", "N", "D more"]) == ("abc ", "END")
    assert run_filter(["xy", "b"], ["a", "bxy"]) == ("a", "b")
    assert run_filter(["END"], ["abc EN", "d"]) == ("abc ENd", None)  # held back, then released
    assert run_filter([], ["a", "b"]) == ("ab", None)


def test_stop_filter_never_emits_part_of_a_stop_string() -> None:
    f = StopFilter(["<stop>"])
    assert f.feed("hello <st") == "hello "
    assert f.feed("o") == ""
    assert f.feed("p>tail") == ""
    assert f.hit == "<stop>" and f.text == "hello "


def test_json_tool_wraps_non_object_schemas() -> None:
    spec, wrapped = json_tool({"type": "object", "properties": {"a": {"type": "string"}}})
    assert not wrapped and spec["function"]["parameters"]["properties"]["a"]
    spec, wrapped = json_tool({"type": "array"})
    assert wrapped and spec["function"]["parameters"]["properties"]["value"] == {"type": "array"}


def test_error_shapes_follow_the_path() -> None:
    err = APIError(413, "Too big.", code="request_too_large")
    assert error_body("/v1/messages", err) == {
        "type": "error",
        "error": {"type": "request_too_large", "message": "Too big."},
    }
    assert error_body("/v1/chat/completions", err)["error"]["code"] == "request_too_large"


async def test_fair_queue_serves_in_arrival_order_and_refuses_when_full() -> None:
    queue = FairQueue(max_waiting=2)
    order: list[int] = []
    release = asyncio.Event()

    async def job(i: int) -> None:
        async with queue.slot():
            order.append(i)
            if i == 0:
                await release.wait()

    first = asyncio.create_task(job(0))
    await asyncio.sleep(0)
    waiting = [asyncio.create_task(job(i)) for i in (1, 2)]
    await asyncio.sleep(0)
    assert queue.stats().waiting == 2
    with pytest.raises(QueueFullError):
        queue.check_room()
    with pytest.raises(QueueFullError):
        await job(3)
    release.set()
    await asyncio.gather(first, *waiting)
    assert order == [0, 1, 2] and queue.stats().running == 0


async def test_fair_queue_waiter_that_leaves_frees_its_place() -> None:
    queue = FairQueue(max_waiting=4)
    release = asyncio.Event()
    served: list[str] = []

    async def job(name: str, hold: bool = False) -> None:
        async with queue.slot():
            served.append(name)
            if hold:
                await release.wait()

    holder = asyncio.create_task(job("holder", hold=True))
    await asyncio.sleep(0)
    leaver = asyncio.create_task(job("leaver"))
    stayer = asyncio.create_task(job("stayer"))
    await asyncio.sleep(0)
    leaver.cancel()
    await asyncio.sleep(0)
    assert queue.stats().waiting == 1
    release.set()
    await asyncio.gather(holder, stayer)
    assert served == ["holder", "stayer"] and queue.stats().running == 0


def test_openai_messages_become_ours() -> None:
    from assistant.server.openai_api import ChatRequest, to_messages

    req = ChatRequest.model_validate(
        {
            "model": "default",
            "messages": [
                {"role": "developer", "content": "Be brief."},
                {"role": "system", "content": [{"type": "text", "text": "Use tools."}]},
                {"role": "user", "content": "Read a.txt"},
                {
                    "role": "assistant",
                    "content": None,
                    "tool_calls": [
                        {
                            "id": "c1",
                            "type": "function",
                            "function": {"name": "read_file", "arguments": '{"path": "a.txt"}'},
                        }
                    ],
                },
                {"role": "tool", "tool_call_id": "c1", "content": "hello"},
            ],
        }
    )
    msgs = to_messages(req.messages)
    assert [m.role for m in msgs] == ["system", "user", "assistant", "tool"]
    assert msgs[0].content == "Be brief.\n\nUse tools."
    assert msgs[2].tool_calls[0].arguments == {"path": "a.txt"} and msgs[2].content == ""
    assert msgs[3].name == "read_file" and msgs[3].tool_call_id == "c1"


def test_anthropic_messages_become_ours() -> None:
    from assistant.server.anthropic_api import MessagesRequest, to_messages

    req = MessagesRequest.model_validate(
        {
            "model": "default",
            "max_tokens": 8,
            "system": [{"type": "text", "text": "Be brief."}],
            "messages": [
                {"role": "user", "content": "List src"},
                {
                    "role": "assistant",
                    "content": [
                        {"type": "text", "text": "Looking."},
                        {"type": "tool_use", "id": "t1", "name": "ls", "input": {"p": "src"}},
                    ],
                },
                {
                    "role": "user",
                    "content": [
                        {
                            "type": "tool_result",
                            "tool_use_id": "t1",
                            "content": [{"type": "text", "text": "no such dir"}],
                            "is_error": True,
                        },
                        {"type": "text", "text": "Try again."},
                    ],
                },
            ],
        }
    )
    msgs = to_messages(req.system, req.messages)
    assert [m.role for m in msgs] == ["system", "user", "assistant", "tool", "user"]
    assert msgs[2].content == "Looking." and msgs[2].tool_calls[0].id == "t1"
    assert msgs[3].content == "Error: no such dir" and msgs[3].name == "ls"
    assert msgs[4].content == "Try again."


@pytest.mark.parametrize("dialect", list(DIALECTS))
@pytest.mark.parametrize(
    ("args", "wrapped"),
    [
        ({"title": 'a "b" {c}\n<e', "n": -1.5e3, "tags": ["x", True, None], "o": {"k": []}}, False),
        ({"value": ["one", 2]}, True),
    ],
)
def test_a_cut_off_json_reply_keeps_its_json_in_every_dialect(
    dialect: str, args: dict, wrapped: bool
) -> None:
    d = DIALECTS[dialect]
    whole = json.dumps(args["value"] if wrapped else args, ensure_ascii=False)
    rendered = d.render_call(ToolCall(JSON_TOOL, args))
    body = rendered[len(d.call_open) : len(rendered) - len(d.call_close)]
    longest = ""
    for cut in range(len(body)):
        # As the local backend hands back a call cut off by max_tokens.
        partial = _partial_json(d.call_open + body[:cut].strip(), d, wrapped)
        assert whole.startswith(partial), (cut, partial)
        longest = max(longest, partial, key=len)
    assert len(longest) >= len(whole) - 2


async def _events(*items: TextDelta | Result | Exception) -> list[tuple[str, dict]]:
    async def produce() -> AsyncIterator[TextDelta | Result]:
        for item in items:
            if isinstance(item, Exception):
                raise item
            yield item

    return [e async for e in stream_events(produce(), model="m", input_tokens=183)]


async def test_message_start_counts_what_the_first_item_knows() -> None:
    call = ToolCall("read_file", {"path": "a"}, "c1")
    usage = Usage(input_tokens=9, output_tokens=7, cache_read_tokens=180)
    forced = await _events(Result("", [call], "tool_calls", usage))
    start = forced[0][1]["message"]["usage"]
    assert forced[0][0] == "message_start" and start["output_tokens"] == 0
    assert (start["input_tokens"], start["cache_read_input_tokens"]) == (9, 180)
    assert forced[-2][1]["usage"]["input_tokens"] == 9

    text = await _events(TextDelta("hi"), Result("hi", [], "stop", usage))
    assert text[0][1]["message"]["usage"] == {"input_tokens": 183, "output_tokens": 0}

    failed = await _events(APIError(429, "Busy."))
    assert [name for name, _ in failed] == ["message_start", "ping", "error"]
    assert failed[-1][1]["error"]["message"] == "Busy."
