"""Settings, layered: defaults < ~/.config/assistant/config.toml < ./.assistant.toml
< ASSISTANT_* environment variables < command-line flags.

A project's ``.assistant.toml`` is untrusted input (it comes with a cloned repository,
or from a command in the sandbox): until the user trusts that directory it may only
narrow what the user's own settings allow (see :mod:`assistant.trust`).

Example (``~/.config/assistant/config.toml``, or a project's ``.assistant.toml`` once
trusted with ``assistant trust``)::

    model = "~/models/qwen2.5-coder-1.5b-q4_k_m.gguf"

    [aliases]
    coder = "~/models/qwen2.5-coder-1.5b-q4_k_m.gguf"
    sonnet = "anthropic:claude-sonnet-4-5"

    [approval]
    mode = "ask"
    allow = ["run_shell: git status*", "run_shell: pytest*"]

    [sandbox]
    kind = "docker"
    network = "none"
"""

from __future__ import annotations

import os
import stat
import tomllib
from pathlib import Path
from typing import Any, Literal

from platformdirs import user_config_dir
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, model_validator

PROJECT_CONFIG = ".assistant.toml"


class ConfigError(Exception):
    """A configuration file or value is wrong; the message names the file and the fix."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ModelSettings(_Section):
    n_ctx: int = Field(default=8192, ge=256)
    """Context window for local models, in tokens."""
    n_threads: int | None = Field(default=None, ge=1)
    """CPU threads for local models (default: all cores)."""
    n_gpu_layers: int = Field(default=0, ge=-1)
    """Layers offloaded to the GPU (-1 for all)."""
    base_url: str | None = None
    """Server for ``openai:`` / ``anthropic:`` models (an OpenAI-compatible server, a proxy)."""
    temperature: float | None = Field(default=None, ge=0)
    max_tokens: int | None = Field(default=1024, ge=1)
    dialect: Literal["auto", "project", "hermes", "llama3", "mistral", "gemma"] = "auto"
    """How a local GGUF is prompted: ``auto`` uses its own chat template and the tool-call
    dialect that template implies (the project's ChatML + ``<tool_call>`` format for ChatML
    templates and for models without one); ``project`` always uses the project's format;
    a dialect name keeps the model's template but reads and writes calls that way."""


ApprovalMode = Literal["ask", "auto", "read-only", "never-ask"]
SandboxKind = Literal["docker", "bwrap", "host"]


class ApprovalSettings(_Section):
    mode: ApprovalMode = "ask"
    allow: list[str] = Field(default_factory=list)
    """Allow rules: ``tool`` or ``tool: glob``, e.g. ``run_shell: git status*``."""


class SandboxSettings(_Section):
    kind: SandboxKind = "docker"
    network: str = "none"
    """Docker network mode for the sandbox container (``none`` keeps it offline)."""
    memory: str = "1g"
    cpus: float = 1.0
    pids: int = 256
    image: str | None = None


class LimitSettings(_Section):
    max_steps: int = Field(default=25, ge=1)
    max_cost_usd: float | None = Field(default=None, ge=0)
    max_wall_s: float | None = Field(default=None, gt=0)
    max_repeats: int = Field(default=3, ge=0)
    """The same call with the same result this many times in a row ends a turn (0: never)."""


class McpServerSettings(_Section):
    """One ``[mcp.servers.NAME]`` table: a stdio ``command`` or a streamable-HTTP ``url``.

    ``${VAR}`` in the command, url, headers and env is replaced from your environment
    when the server starts (servers from a project file get no expansion).
    """

    command: list[str] | None = None
    """The program and its arguments, started as a child process speaking MCP on stdio."""
    url: str | None = None
    """A streamable-HTTP MCP endpoint, e.g. ``http://127.0.0.1:8811/mcp``."""
    headers: dict[str, str] = Field(default_factory=dict)
    """HTTP headers sent to ``url`` (e.g. ``Authorization = "Bearer ${TOKEN}"``)."""
    env: dict[str, str] = Field(default_factory=dict)
    """Environment variables for a stdio server, on top of a minimal default environment."""
    cwd: str | None = None
    """Working directory of a stdio server (default: your config directory, never the
    workspace; a ``cwd`` inside the workspace makes it workspace content, run sandboxed)."""
    timeout: float = Field(default=60.0, gt=0)
    """Seconds a tool call may take before the server is given up for this session."""
    startup_timeout: float = Field(default=20.0, gt=0)
    """Seconds to start, initialize and list tools."""
    enabled: bool = True

    @model_validator(mode="after")
    def _one_transport(self) -> McpServerSettings:
        if (self.command is None) == (self.url is None):
            raise ValueError("give exactly one of command (stdio) or url (streamable HTTP)")
        if self.command is not None and not self.command:
            raise ValueError("command is empty; give the program and its arguments")
        return self


class McpSettings(_Section):
    servers: dict[str, McpServerSettings] = Field(default_factory=dict)


class WebSearchSettings(_Section):
    """``[web_search]``: where the ``web_search`` tool sends queries (none: no tool)."""

    backend: Literal["searxng", "brave"] | None = None
    url: str | None = None
    """SearXNG: the instance's base URL (its JSON format must be enabled). Brave: an
    optional endpoint override (a proxy); default https://api.search.brave.com."""
    api_key: str | None = None
    """Brave Search API key; ``${VAR}`` reads it from your environment."""
    max_results: int = Field(default=5, ge=1, le=20)
    timeout: float = Field(default=15.0, gt=0)

    @model_validator(mode="after")
    def _complete(self) -> WebSearchSettings:
        if self.backend == "searxng" and not self.url:
            raise ValueError("backend searxng needs url, the instance's address")
        if self.backend == "brave" and not self.api_key:
            raise ValueError('backend brave needs api_key, e.g. api_key = "${BRAVE_API_KEY}"')
        return self


class Settings(_Section):
    model: str | None = None
    """``local`` (the bundled default), a .gguf path, an alias, ``anthropic:NAME`` or ``openai:NAME``."""
    aliases: dict[str, str] = Field(default_factory=dict)
    theme: Literal["dark", "light"] = "dark"
    llm: ModelSettings = Field(default_factory=ModelSettings)
    approval: ApprovalSettings = Field(default_factory=ApprovalSettings)
    sandbox: SandboxSettings = Field(default_factory=SandboxSettings)
    limits: LimitSettings = Field(default_factory=LimitSettings)
    mcp: McpSettings = Field(default_factory=McpSettings)
    web_search: WebSearchSettings = Field(default_factory=WebSearchSettings)
    _notices: list[str] = PrivateAttr(default_factory=list)
    _project_mcp: set[str] = PrivateAttr(default_factory=set)
    _project_web_search: set[str] = PrivateAttr(default_factory=set)

    @property
    def project_mcp_servers(self) -> set[str]:
        """MCP servers defined by the (trusted) project file: workspace content."""
        return self._project_mcp

    @property
    def project_web_search(self) -> set[str]:
        """``web_search`` keys set by the project file (no ``${VAR}`` expansion for them)."""
        return self._project_web_search

    @property
    def notices(self) -> list[str]:
        """One-line messages for the user (e.g. project settings that were ignored)."""
        return self._notices


def user_config_path() -> Path:
    env = os.environ.get("ASSISTANT_CONFIG")
    return Path(env) if env else Path(user_config_dir("assistant", appauthor=False)) / "config.toml"


MAX_CONFIG_BYTES = 1 << 20


def read_config_bytes(path: Path) -> bytes:
    """A config file's bytes, read only from a regular file (a symlink is followed) of at
    most ``MAX_CONFIG_BYTES``: a project's file is workspace content, and one that is a
    link to ``/dev/zero`` or a FIFO must not exhaust memory or hang the start. A link to
    ``/dev/null`` reads as empty (a way to switch a config off).
    FileNotFoundError passes through; anything else unreadable is a ConfigError."""
    if os.path.realpath(path) == os.devnull:
        return b""
    try:
        # Non-blocking: opening a FIFO for reading must not wait for a writer.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise _unreadable(path, exc.strerror) from exc
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            what = "Is a directory" if os.path.isdir(path) else "not a regular file"
            raise _unreadable(path, what)
        with os.fdopen(os.dup(fd), "rb") as fh:
            data = fh.read(MAX_CONFIG_BYTES + 1)
    except OSError as exc:
        raise _unreadable(path, exc.strerror) from exc
    finally:
        os.close(fd)
    if len(data) > MAX_CONFIG_BYTES:
        raise ConfigError(
            f"Config file {path} is larger than {MAX_CONFIG_BYTES >> 20} MB; a config is a "
            "few lines of TOML: fix or remove it."
        )
    return data


def _unreadable(path: Path, why: str | None) -> ConfigError:
    return ConfigError(
        f"Cannot read config file {path} ({why}); make it a readable TOML file or remove it."
    )


def _read_bytes(path: Path) -> bytes:
    try:
        return read_config_bytes(path)
    except FileNotFoundError as exc:
        raise ConfigError(
            f"Cannot read config file {path} ({exc.strerror}); make it a readable TOML file "
            "or remove it."
        ) from exc


def _parse_toml(path: Path, raw: bytes) -> dict[str, Any]:
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            f"Config file {path} is not valid TOML ({exc}); fix or delete it."
        ) from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"Config file {path} is not valid TOML (byte {exc.start} is not UTF-8); "
            "save it as UTF-8 or delete it."
        ) from exc


def read_toml(path: Path) -> dict[str, Any]:
    return _parse_toml(path, _read_bytes(path))


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


_ENV = {
    "ASSISTANT_MODEL": ("model",),
    "ASSISTANT_APPROVE": ("approval", "mode"),
    "ASSISTANT_SANDBOX": ("sandbox", "kind"),
    "ASSISTANT_N_CTX": ("llm", "n_ctx"),
    "ASSISTANT_N_THREADS": ("llm", "n_threads"),
    "ASSISTANT_N_GPU_LAYERS": ("llm", "n_gpu_layers"),
    "ASSISTANT_BASE_URL": ("llm", "base_url"),
    "ASSISTANT_DIALECT": ("llm", "dialect"),
    "ASSISTANT_THEME": ("theme",),
}


def _env_layer() -> dict[str, Any]:
    layer: dict[str, Any] = {}
    for var, keys in _ENV.items():
        if var in os.environ:
            node = layer
            for k in keys[:-1]:
                node = node.setdefault(k, {})
            node[keys[-1]] = os.environ[var]
    return layer


def _validate(data: dict[str, Any], workspace: Path, *, with_env: bool = False) -> Settings:
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = tuple(str(p) for p in first["loc"])
        where = ".".join(loc)
        env = [v for v, keys in _ENV.items() if with_env and loc[: len(keys)] == keys]
        env = [v for v in env if v in os.environ]
        fix = (
            f"fix {env[0]} in your environment"
            if env
            else f"fix it in {workspace / PROJECT_CONFIG} or {user_config_path()}"
        )
        raise ConfigError(f"Setting {where!r} is invalid ({first['msg']}); {fix}.") from exc


def load_settings(workspace: Path, overrides: dict[str, Any] | None = None) -> Settings:
    """Settings for ``workspace``, with ``overrides`` (from flags) applied last.

    An untrusted project file only narrows (see :func:`assistant.trust.narrow_project`);
    what it tried to widen is dropped and named in ``settings.notices``. Allow rules the
    user saved for this project (``always``) are added to ``approval.allow``.
    """
    from assistant import trust

    user_path = user_config_path()
    data: dict[str, Any] = read_toml(user_path) if user_path.exists() else {}
    notices: list[str] = []
    project_mcp: dict[str, Any] = {}
    project_web_search: dict[str, Any] = {}
    project_path = workspace / PROJECT_CONFIG
    if project_path.exists():  # a folder by that name is an error, not silently no file
        raw = _read_bytes(project_path)  # read once: trust is checked on what is applied
        project = _parse_toml(project_path, raw)
        state = trust.trust_state(workspace, raw)
        if state != "trusted":
            base = _validate(data, workspace)
            candidate = _validate(_merge(data, project), workspace)
            project, ignored = trust.narrow_project(project, base, candidate)
            if ignored:
                notices.append(trust.ignored_notice(project_path, ignored, state))
        mcp = project.get("mcp")
        if state == "trusted":  # untrusted, it only narrows (or repeats) your own servers
            project_mcp = mcp.get("servers", {}) if isinstance(mcp, dict) else {}
        web_search = project.get("web_search")
        project_web_search = web_search if isinstance(web_search, dict) else {}
        data = _merge(data, project)
    saved = trust.project_rules(workspace)
    if saved:
        approval = data.setdefault("approval", {})
        existing = approval.get("allow", [])
        approval["allow"] = [*(existing if isinstance(existing, list) else []), *saved]
    data = _merge(data, _env_layer())
    data = _merge(data, {k: v for k, v in (overrides or {}).items() if v is not None})
    settings = _validate(data, workspace, with_env=True)
    settings._notices = notices
    settings._project_mcp = set(project_mcp)
    settings._project_web_search = set(project_web_search)
    return settings
