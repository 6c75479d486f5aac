"""The ``assistant`` command: a thin layer over the library.

``assistant`` alone opens the chat (same as ``assistant chat``). Every user-caused
error ends in one sentence on stderr and a non-zero exit code.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Annotated, Any, get_args

import typer

from assistant import __version__
from assistant.llm.models import MODEL_HELP
from assistant.ui.terminal import printable, printable_line, printable_prose, terminal_json

app = typer.Typer(
    name="assistant",
    help="A terminal coding assistant on a local model, with its own distillation pipeline.",
    epilog="Without a command it chats: `assistant --model base` is `assistant chat --model base`.",
    no_args_is_help=False,
    add_completion=False,
    pretty_exceptions_enable=False,
)
sessions_app = typer.Typer(help="List, show and export saved sessions.", no_args_is_help=True)
sandbox_app = typer.Typer(help="Build and check the Docker sandbox.", no_args_is_help=True)
app.add_typer(sessions_app, name="sessions")
app.add_typer(sandbox_app, name="sandbox")
mcp_app = typer.Typer(help="MCP servers: what is configured and which tools they give.")
app.add_typer(mcp_app, name="mcp")

EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_LIMIT = 3
EXIT_CANCELLED = 130

ModelOpt = Annotated[
    str | None,
    typer.Option("--model", "-m", help=MODEL_HELP),
]
ApproveOpt = Annotated[
    str | None, typer.Option("--approve", help="ask, auto, read-only or never-ask.")
]
SandboxOpt = Annotated[
    str | None, typer.Option("--sandbox", help="docker (default), bwrap or host.")
]
WorkspaceOpt = Annotated[
    Path, typer.Option("--workspace", "-C", help="Project directory (default: the current one).")
]
BaseUrlOpt = Annotated[
    str | None, typer.Option("--base-url", help="Server for openai:/anthropic: models.")
]


def fail(message: str, code: int = EXIT_ERROR) -> typer.Exit:
    typer.secho(printable(f"error: {message}"), err=True, fg=typer.colors.RED)
    return typer.Exit(code)


def note(message: str) -> None:
    typer.secho(printable(f"note: {message}"), err=True, fg=typer.colors.YELLOW)


def shown(text: str, *, prose: bool = False) -> str:
    """Text from the model, tools, a server or a session for stdout: control characters
    (carriage returns included) made visible where a person reads it, left as they are
    where a program does. ``prose`` (an answer, a conversation) keeps the zero-width
    joiners that emoji and some scripts need."""
    if not sys.stdout.isatty():
        return text
    return printable_prose(text).replace("\r", "␍") if prose else printable_line(text)


def _settings(workspace: Path, **overrides: Any) -> Any:
    from assistant.config import ApprovalMode, ConfigError, SandboxKind, load_settings

    if not workspace.is_dir():
        raise fail(f"Workspace {workspace} is not a directory; pass an existing one with -C.")
    for flag, value, allowed in (
        ("--approve", overrides.get("approve"), get_args(ApprovalMode)),
        ("--sandbox", overrides.get("sandbox"), get_args(SandboxKind)),
    ):
        if value is not None and value not in allowed:
            raise fail(f"{flag} {value!r} is not one of {', '.join(allowed)}.", EXIT_USAGE)
    nested: dict[str, Any] = {"model": overrides.get("model")}
    if overrides.get("approve"):
        nested["approval"] = {"mode": overrides["approve"]}
    if overrides.get("sandbox"):
        nested["sandbox"] = {"kind": overrides["sandbox"]}
    llm = {k: overrides[k] for k in ("base_url", "n_ctx") if overrides.get(k) is not None}
    if llm:
        nested["llm"] = llm
    limits = {
        k: overrides[k]
        for k in ("max_steps", "max_cost_usd", "max_wall_s")
        if overrides.get(k) is not None
    }
    if limits:
        nested["limits"] = limits
    try:
        settings = load_settings(workspace.resolve(), nested)
    except ConfigError as exc:
        raise fail(str(exc)) from None
    for notice in settings.notices:
        note(notice)
    return settings


def _resume_id(workspace: Path, continue_: bool, resume: str | None) -> str | None:
    """The session to resume: ``--resume ID``, or the latest here with ``--continue``."""
    from assistant.agent.session import SessionStore

    if resume and continue_:
        raise fail("--continue and --resume both pick a session; pass one of them.", EXIT_USAGE)
    if resume or not continue_:
        return resume
    latest = SessionStore().latest(workspace.resolve())
    if latest is None:
        raise fail("There is no earlier session in this directory; start one without --continue.")
    return latest.id


def _warn_never_ask(settings: Any) -> None:
    if settings.approval.mode == "never-ask":
        typer.secho(
            "warning: --approve never-ask runs every tool call without asking.",
            err=True,
            fg=typer.colors.YELLOW,
        )


def _build(settings: Any, workspace: Path, **kwargs: Any) -> Any:
    from assistant.agent.builder import build_agent
    from assistant.agent.session import SessionError
    from assistant.llm.base import LLMError

    try:
        return build_agent(settings, workspace, **kwargs)
    except (LLMError, SessionError) as exc:
        raise fail(str(exc)) from None
    except OSError as exc:
        raise _data_dir_failure(exc) from None


def _data_dir_failure(exc: OSError) -> BaseException:
    """One sentence for a session log that cannot be written where ASSISTANT_DATA_DIR (or
    the default data folder) points; any other OSError is not the user's input."""
    from assistant.agent.session import data_dir

    root = data_dir().absolute()
    failed = Path(exc.filename).absolute() if exc.filename else None
    if failed is None or not (failed == root or failed.is_relative_to(root)):
        return exc
    return fail(
        f"Cannot save sessions in {root} ({exc.strerror}); set ASSISTANT_DATA_DIR to a "
        "writable folder or pass --no-session."
    )


@app.callback(invoke_without_command=True)
def main_callback(
    ctx: typer.Context,
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.")] = False,
) -> None:
    if version:
        typer.echo(f"assistant {__version__}")
        raise typer.Exit()
    if ctx.invoked_subcommand is None:
        ctx.invoke(chat)


@app.command()
def chat(
    model: ModelOpt = None,
    approve: ApproveOpt = None,
    sandbox: SandboxOpt = None,
    workspace: WorkspaceOpt = Path("."),
    base_url: BaseUrlOpt = None,
    plain: Annotated[
        bool, typer.Option("--plain", help="A line-based REPL instead of the full-screen app.")
    ] = False,
    continue_: Annotated[
        bool, typer.Option("--continue", "-c", help="Continue the latest session here.")
    ] = False,
    resume: Annotated[
        str | None, typer.Option("--resume", help="Resume the session with this id.")
    ] = None,
) -> None:
    """Chat with the agent (the default command: `assistant --model X` is this)."""
    from assistant.agent.session import SessionStore

    settings = _settings(
        workspace, model=model, approve=approve, sandbox=sandbox, base_url=base_url
    )
    _warn_never_ask(settings)
    store = SessionStore()
    resume = _resume_id(workspace, continue_, resume)
    from assistant.agent.session import SessionError
    from assistant.llm.base import LLMError
    from assistant.ui.launch import launch

    try:
        code = launch(settings, workspace.resolve(), plain=plain, resume=resume, store=store)
    except (LLMError, SessionError) as exc:
        raise fail(str(exc)) from None
    except OSError as exc:
        raise _data_dir_failure(exc) from None
    raise typer.Exit(code or 0)


@app.command()
def run(
    prompt: Annotated[str, typer.Option("--prompt", "-p", help="The task.")],
    model: ModelOpt = None,
    approve: ApproveOpt = None,
    sandbox: SandboxOpt = None,
    workspace: WorkspaceOpt = Path("."),
    base_url: BaseUrlOpt = None,
    tool_choice: Annotated[
        str, typer.Option("--tool-choice", help="auto, required, none or a tool name.")
    ] = "auto",
    max_steps: Annotated[
        int | None, typer.Option("--max-steps", help="Model calls before giving up.", min=1)
    ] = None,
    max_cost: Annotated[
        float | None, typer.Option("--max-cost", help="USD before giving up.", min=0)
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON event per line.")] = False,
    no_session: Annotated[
        bool, typer.Option("--no-session", help="Do not save a session log.")
    ] = False,
    continue_: Annotated[
        bool, typer.Option("--continue", "-c", help="Continue the latest session here.")
    ] = False,
    resume: Annotated[
        str | None, typer.Option("--resume", help="Continue this session id.")
    ] = None,
) -> None:
    """Run one task headless and print the final answer (or JSON events)."""
    if not prompt.strip():
        raise fail("--prompt is empty; give the task, e.g. -p 'fix the failing test'.", EXIT_USAGE)
    settings = _settings(
        workspace,
        model=model,
        approve=approve,
        sandbox=sandbox,
        base_url=base_url,
        max_steps=max_steps,
        max_cost_usd=max_cost,
    )
    _warn_never_ask(settings)
    resume = _resume_id(workspace, continue_, resume)
    built = _build(settings, workspace, persist=not no_session, resume=resume)
    code = asyncio.run(_run_headless(built, prompt, tool_choice, as_json))
    raise typer.Exit(code)


async def _run_headless(built: Any, prompt: str, tool_choice: str, as_json: bool) -> int:
    from assistant.agent.builder import start_mcp
    from assistant.agent.events import ErrorEvent, TextEvent, TurnEndEvent

    agent = built.agent
    end: TurnEndEvent | None = None
    streamed_text = False
    try:
        for line in [*built.notices, *await start_mcp(built)]:
            note(line)
        names = agent.registry.names()  # the MCP servers' tools included
        if tool_choice not in ("auto", "required", "none") and tool_choice not in names:
            raise fail(
                f"--tool-choice {tool_choice!r} is not auto, required, none or a tool "
                f"({', '.join(names)}).",
                EXIT_USAGE,
            )
        async for event in agent.run(prompt, tool_choice=tool_choice):
            if as_json:
                sys.stdout.write(terminal_json(event.to_dict()) + "\n")
                sys.stdout.flush()
            elif isinstance(event, TextEvent):
                streamed_text = True
            elif isinstance(event, ErrorEvent):
                typer.secho(printable(f"error: {event.message}"), err=True, fg=typer.colors.RED)
            if isinstance(event, TurnEndEvent):
                end = event
    except (KeyboardInterrupt, asyncio.CancelledError):
        agent.cancel()
        return EXIT_CANCELLED
    finally:
        warning = await agent.aclose()
        if warning:
            typer.secho(printable(warning), err=True, fg=typer.colors.YELLOW)
        if built.session is not None:
            built.session.close()
    if end is None:
        return EXIT_ERROR
    if not as_json:
        final = end.final_text or (agent.messages[-1].content if streamed_text else "")
        if final:
            typer.echo(shown(final, prose=True), color=True)  # click would strip only the SGR codes
        if end.reason not in ("done",):
            typer.secho(
                f"stopped: {end.reason.replace('_', ' ')} after {end.steps} steps", err=True
            )
    return {"done": 0, "cancelled": EXIT_CANCELLED, "error": EXIT_ERROR}.get(end.reason, EXIT_LIMIT)


@app.command()
def trust(
    workspace: WorkspaceOpt = Path("."),
    revoke: Annotated[bool, typer.Option("--revoke", help="Stop trusting it.")] = False,
) -> None:
    """Trust this directory's .assistant.toml (as it is now) to widen your settings."""
    from assistant import trust as trust_store
    from assistant.config import PROJECT_CONFIG, ConfigError

    if not revoke and not workspace.is_dir():
        raise fail(f"Workspace {workspace} is not a directory; pass an existing one with -C.")
    try:
        if revoke:
            was = trust_store.revoke(workspace)
            typer.echo(
                f"{'No longer trusting' if was else 'Was not trusting'} {workspace.resolve()}."
            )
            return
        digest = trust_store.trust(workspace)
    except ConfigError as exc:
        raise fail(str(exc)) from None
    typer.echo(
        f"Trusted {workspace.resolve() / PROJECT_CONFIG} (sha256 {digest[:12]}); "
        "any change to it needs `assistant trust` again."
    )


@mcp_app.command("list")
def mcp_list(workspace: WorkspaceOpt = Path(".")) -> None:
    """Start each configured MCP server, show its state and tools, and stop it."""
    from assistant.agent.builder import LazySandbox, sandbox_options
    from assistant.config import user_config_path
    from assistant.tools.mcp import McpManager

    settings = _settings(workspace)
    servers = settings.mcp.servers
    if not servers:
        typer.echo(f"No MCP servers configured; add [mcp.servers.NAME] to {user_config_path()}.")
        return
    sandbox = LazySandbox(
        settings.sandbox.kind, workspace.resolve(), "mcp-list", **sandbox_options(settings)
    )
    manager = McpManager(
        {n: s for n, s in servers.items() if s.enabled},
        workspace.resolve(),
        project_servers=settings.project_mcp_servers,
        sandbox_kind=settings.sandbox.kind,
        sandbox_provider=sandbox,
        user_config=str(user_config_path()),
    )

    async def probe() -> list[Any]:
        try:
            return await manager.start()
        finally:
            await manager.close()
            await sandbox.close()

    tools = asyncio.run(probe())
    for name in servers:
        conn = manager.connections.get(name)
        if conn is None:
            typer.echo(f"{name}: disabled")
            continue
        state = conn.state if conn.state != "closed" else "ready"
        where = f" ({conn.where})" if conn.where else ""
        typer.echo(shown(f"{name}: {state}{where}" + (f": {conn.detail}" if conn.detail else "")))
        for t in (t for t in tools if t.name.startswith(f"{name}__")):
            kind = "read-only" if t.read_only else "asks first"
            summary = (t.description.splitlines() or [""])[0][:70]
            typer.echo(shown(f"  {t.name:<32} {kind:<10} {summary}"))


@app.command()
def models(
    workspace: WorkspaceOpt = Path("."),
) -> None:
    """List the default model and the configured GGUF files and aliases."""
    from assistant.llm.models import list_models

    settings = _settings(workspace)
    for info in list_models(settings.aliases):
        marker = "*" if info.is_default else " "
        size = f"{info.size_bytes / 1e6:.0f} MB" if info.size_bytes else ""
        typer.echo(f"{marker} {info.name:<28} {info.provider:<10} {size:>8}  {info.spec}")
        if info.description:
            typer.echo(f"  {'':<28} {info.description}")


@app.command()
def undo(
    session_id: Annotated[
        str | None, typer.Argument(help="Session id (default: the latest here).")
    ] = None,
    turn: Annotated[
        bool, typer.Option("--turn", help="Undo every change of the last turn.")
    ] = False,
    workspace: WorkspaceOpt = Path("."),
) -> None:
    """Restore the last file change made by the agent (or all changes of a turn)."""
    from assistant.agent.session import SessionError, SessionStore
    from assistant.tools.undo import UndoJournal

    store = SessionStore()
    if session_id is None:
        latest = store.latest(workspace.resolve())
        if latest is None:
            raise fail("There is no session in this directory to undo changes from.")
        session_id = latest.id
    try:
        log_path = store.path_for(session_id)
    except SessionError as exc:
        raise fail(str(exc)) from None
    if not log_path.is_file():
        raise fail(f"No session {session_id!r}; list them with `assistant sessions list`.")
    path = log_path.with_suffix(".undo.jsonl")
    try:
        journal = UndoJournal(path)
    except (OSError, UnicodeDecodeError, TypeError, ValueError) as exc:
        raise fail(
            f"The undo journal {path} is damaged ({exc}); restore the files by hand and delete it."
        ) from None
    if not journal.entries:
        raise fail(f"There is nothing to undo in session {session_id}.")
    try:
        done = journal.undo_turn() if turn else journal.undo_last()
    except Exception as exc:  # the journal raises one-sentence errors
        raise fail(str(exc)) from None
    for line in done:
        typer.echo(shown(line))  # names a file the model chose


@sessions_app.command("list")
def sessions_list(
    all_: Annotated[bool, typer.Option("--all", help="Sessions of every directory.")] = False,
    workspace: WorkspaceOpt = Path("."),
) -> None:
    """List saved sessions, newest first."""
    from assistant.agent.session import SessionError, SessionStore

    try:
        infos = SessionStore().list(None if all_ else workspace.resolve())
    except SessionError as exc:
        raise fail(str(exc)) from None
    if not infos:
        typer.echo("No sessions yet.")
    for i in infos:
        typer.echo(
            shown(
                f"{i.id}  {i.created_at:<25} {i.messages:>4} msgs  {i.model:<24} {i.title}",
                prose=True,
            )
        )


@sessions_app.command("show")
def sessions_show(session_id: str) -> None:
    """Print a session as Markdown."""
    _export(session_id, "markdown", None)


@sessions_app.command("export")
def sessions_export(
    session_id: str,
    fmt: Annotated[str, typer.Option("--format", help="markdown, json or jsonl.")] = "jsonl",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write.")] = None,
) -> None:
    """Export a session's messages (JSONL is the training-data message shape)."""
    _export(session_id, fmt, output)


def _export(session_id: str, fmt: str, output: Path | None) -> None:
    from assistant.agent.session import SessionError, SessionStore
    from assistant.tools.paths import atomic_write_text

    if fmt not in ("markdown", "json", "jsonl"):
        raise fail(f"Unknown format {fmt!r}; use markdown, json or jsonl.", EXIT_USAGE)
    if output is not None and output.is_dir():
        raise fail(f"--output {output} is a folder; pass a file path in it.", EXIT_USAGE)
    try:
        text = SessionStore().export(session_id, fmt)
    except SessionError as exc:
        raise fail(str(exc)) from None
    if output is None:
        typer.echo(shown(text, prose=True), nl=not text.endswith("\n"), color=True)
        return
    try:
        atomic_write_text(output, text)
    except OSError as exc:
        raise fail(
            f"Cannot write {output} ({exc.strerror or exc}); pass another --output."
        ) from None


@sandbox_app.command("build")
def sandbox_build(
    offline: Annotated[
        bool, typer.Option("--offline", help="Build with debootstrap + docker import.")
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Rebuild even if the image exists.")
    ] = False,
) -> None:
    """Build the sandbox image assistant-sandbox:<version>."""
    from assistant.tools.sandbox.base import SandboxError
    from assistant.tools.sandbox.image import build

    try:
        tag = build(offline=True if offline else None, force=force)
    except SandboxError as exc:
        raise fail(str(exc)) from None
    typer.echo(f"built {tag}")


@sandbox_app.command("doctor")
def sandbox_doctor() -> None:
    """Check the Docker daemon, the image, the limits and the host's git; run a self-test."""
    from assistant.tools.sandbox.doctor import run_doctor

    ok_all = True
    for name, ok, detail in run_doctor():
        ok_all &= ok
        mark = (
            typer.style("ok  ", fg=typer.colors.GREEN)
            if ok
            else typer.style("FAIL", fg=typer.colors.RED)
        )
        typer.echo(f"{mark} {name}: {detail}")
    raise typer.Exit(0 if ok_all else EXIT_ERROR)


def _mount_distill() -> None:
    try:
        from assistant.distill.cli import distill_app
    except ImportError:  # pragma: no cover - distill is part of the package
        return
    app.add_typer(distill_app, name="distill")


_mount_distill()


def _mount_training() -> None:
    from assistant.training.cli import mount  # torch loads only when a command runs

    mount(app)


_mount_training()


def _mount_serve() -> None:
    from assistant.server.cli import serve  # FastAPI/uvicorn load only when it runs

    app.command("serve")(serve)


_mount_serve()

from assistant.eval.cli import eval_app  # noqa: E402

app.add_typer(eval_app, name="eval")


_TOP_LEVEL_OPTIONS = frozenset({"--version", "--help"})


def main(argv: list[str] | None = None) -> None:
    """``assistant --model X`` is ``assistant chat --model X``: options before any command
    are chat's, except the program's own."""
    args = sys.argv[1:] if argv is None else argv
    if args and args[0].startswith("-") and args[0].split("=")[0] not in _TOP_LEVEL_OPTIONS:
        commands = typer.main.get_command(app).commands  # type: ignore[attr-defined]
        if named := next((a for a in args if a in commands and a != "chat"), None):
            typer.echo(
                f"error: options go after the command: assistant {named} "
                f"{' '.join(a for a in args if a != named)}",
                err=True,
            )
            raise SystemExit(2)
        args = ["chat", *args]
    app(args=args, prog_name="assistant")


if __name__ == "__main__":
    main()
