"""Every invalid request gets the API's own error shape and status, through the SDKs."""

from __future__ import annotations

import anthropic
import httpx
import openai
import pytest

from tests.server.conftest import API_KEY, start_server

pytestmark = pytest.mark.slow

HELLO = [{"role": "user", "content": "hi"}]
AUTH = {"Authorization": f"Bearer {API_KEY}", "Content-Type": "application/json"}


def _openai_shape(response: httpx.Response, status: int) -> dict:
    assert response.status_code == status, response.text
    err = response.json()["error"]
    assert set(err) == {"message", "type", "param", "code"}
    assert err["message"].endswith(".") and "Traceback" not in err["message"]
    return err


def _anthropic_shape(response: httpx.Response, status: int) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["type"] == "error" and set(body["error"]) == {"type", "message"}
    return body["error"]


def test_api_key_is_checked_on_every_request(server) -> None:
    with pytest.raises(openai.AuthenticationError) as exc:
        server.openai(api_key="wrong").chat.completions.create(model="default", messages=HELLO)
    assert exc.value.status_code == 401 and exc.value.body["type"] == "authentication_error"
    with pytest.raises(anthropic.AuthenticationError):
        server.anthropic(api_key="wrong").messages.create(
            model="default", max_tokens=4, messages=HELLO
        )
    for path in ("/health", "/v1/models", "/nowhere"):
        assert httpx.get(server.url + path).status_code == 401
    _anthropic_shape(httpx.post(server.url + "/v1/messages", json={}), 401)
    # A path both APIs share answers an Anthropic client in its own shape (it was OpenAI's).
    with pytest.raises(anthropic.AuthenticationError) as exc:
        server.anthropic(api_key="wrong").models.list()
    assert exc.value.body["type"] == "error", exc.value.body
    assert exc.value.body["error"]["type"] == "authentication_error"
    _openai_shape(httpx.get(server.url + "/v1/models"), 401)
    anthropic_header = {"anthropic-version": "2023-06-01"}
    _openai_shape(  # a path of one API keeps its shape whoever sends it
        httpx.post(server.url + "/v1/chat/completions", json={}, headers=anthropic_header), 401
    )


def test_openai_errors(server) -> None:
    client = server.openai()
    with pytest.raises(openai.NotFoundError) as nf:
        client.chat.completions.create(model="gpt-17", messages=HELLO)
    assert nf.value.code == "model_not_found"
    with pytest.raises(openai.BadRequestError) as big:
        client.chat.completions.create(model="default", messages=HELLO, max_tokens=100_000)
    assert big.value.param == "max_tokens" and "at most 512" in big.value.message
    with pytest.raises(openai.BadRequestError):
        client.chat.completions.create(model="default", messages=[])
    with pytest.raises(openai.BadRequestError):
        client.chat.completions.create(
            model="default",
            messages=HELLO,
            tool_choice={"type": "function", "function": {"name": "x"}},
        )
    with pytest.raises(openai.UnprocessableEntityError):
        client.chat.completions.create(
            model="default",
            messages=[
                {
                    "role": "user",
                    "content": [{"type": "image_url", "image_url": {"url": "data:,"}}],
                }
            ],
        )
    with pytest.raises(openai.UnprocessableEntityError) as long:
        client.chat.completions.create(
            model="default", messages=[{"role": "user", "content": "word " * 5000}]
        )
    assert long.value.code == "context_length_exceeded"

    url = server.url + "/v1/chat/completions"
    _openai_shape(httpx.post(url, content=b"{not json", headers=AUTH), 400)
    _openai_shape(httpx.post(url, content=b"[1, 2]", headers=AUTH), 400)
    _openai_shape(httpx.post(url, content=b"[" * 20_000 + b"]" * 20_000, headers=AUTH), 400)
    nan = (
        b'{"model": "default", "messages": [{"role": "user", "content": "x"}], "temperature": NaN}'
    )
    _openai_shape(httpx.post(url, content=nan, headers=AUTH), 400)
    for depth in (450, 1200):  # deep schemas fail somewhere (400/413/422), never with a 5xx
        schema = '{"type": "object", "properties": {"a": ' * depth + "{}" + "}}" * depth
        tool = '{"type": "function", "function": {"name": "f", "parameters": ' + schema + "}}"
        body = '{"model": "default", "messages": [{"role": "user", "content": "x"}], '
        body += '"tool_choice": "none", "max_tokens": 1, "tools": [' + tool + "]}"
        response = httpx.post(url, content=body.encode(), headers=AUTH)
        assert response.status_code < 500, depth
    _openai_shape(httpx.post(url, json={"model": "default"}, headers=AUTH), 400)
    err = _openai_shape(
        httpx.post(
            url, json={"model": "default", "messages": HELLO, "temperature": "hot"}, headers=AUTH
        ),
        400,
    )
    assert err["param"] == "temperature"
    huge = {"model": "default", "messages": [{"role": "user", "content": "x" * 100_000}]}
    _openai_shape(httpx.post(url, json=huge, headers=AUTH), 413)
    _openai_shape(httpx.get(url, headers=AUTH), 405)
    _openai_shape(httpx.get(server.url + "/v1/nothing", headers=AUTH), 404)


def test_anthropic_errors(server) -> None:
    client = server.anthropic()
    with pytest.raises(anthropic.NotFoundError):
        client.messages.create(model="claude-9", max_tokens=4, messages=HELLO)
    with pytest.raises(anthropic.BadRequestError) as exc:
        client.messages.create(model="default", max_tokens=10_000, messages=HELLO)
    assert exc.value.body["error"]["type"] == "invalid_request_error"

    url = server.url + "/v1/messages"
    headers = {"x-api-key": API_KEY, "Content-Type": "application/json"}
    _anthropic_shape(
        httpx.post(url, json={"model": "default", "messages": HELLO}, headers=headers), 400
    )
    _anthropic_shape(httpx.post(url, content=b"nope", headers=headers), 400)
    image = {
        "model": "default",
        "max_tokens": 4,
        "messages": [{"role": "user", "content": [{"type": "image", "source": {}}]}],
    }
    _anthropic_shape(httpx.post(url, json=image, headers=headers), 422)
    huge = {
        "model": "default",
        "max_tokens": 4,
        "messages": [{"role": "user", "content": "x" * 100_000}],
    }
    err = _anthropic_shape(httpx.post(url, json=huge, headers=headers), 413)
    assert err["type"] == "request_too_large"


def test_cors_is_off_unless_asked(server, local_model) -> None:
    preflight = {
        "Origin": "http://editor.example",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization,content-type",
    }
    closed = httpx.options(server.url + "/v1/chat/completions", headers=preflight)
    assert "access-control-allow-origin" not in closed.headers

    # Written with a trailing slash, capitals and the default port, as a user might: the
    # browser's Origin has none of them, and Starlette compares exactly (it never matched).
    given = ["HTTP://Editor.example:80/"]
    opened = start_server(local_model, cors_origins=given, api_key=API_KEY)
    try:
        ok = httpx.options(opened.url + "/v1/chat/completions", headers=preflight)
        assert ok.status_code == 200
        assert ok.headers["access-control-allow-origin"] == "http://editor.example"
        other = httpx.options(
            opened.url + "/v1/chat/completions", headers={**preflight, "Origin": "http://evil"}
        )
        assert other.headers.get("access-control-allow-origin") != "http://evil"
        models = httpx.get(
            opened.url + "/v1/models", headers={**AUTH, "Origin": "http://editor.example"}
        )
        assert models.headers["access-control-allow-origin"] == "http://editor.example"
    finally:
        opened.stop()
