"""Local GGUF models through llama-cpp-python (the default backend).

Design notes:

* One ``llama_cpp.Llama`` per (path, n_ctx, n_threads, n_gpu_layers) per process,
  together with the single worker thread allowed to touch it. Generation is sync,
  so each ``stream()`` call runs on that thread and hands tokens to the event loop.
* The prompt is rendered with :func:`toolformat.render_prompt` and tokenized here;
  ``Llama.generate`` then keeps the longest common prefix of the previous prompt
  in the KV cache, so turn N+1 (a strict extension of turn N) only evaluates the
  new tokens.
* Tool calls are constrained: the model writes prose until it opens
  ``<tool_call>``; the JSON body is then sampled under a GBNF grammar built from
  the tool schemas, so it always names a real tool with schema-valid arguments.
"""

from __future__ import annotations

import asyncio
import codecs
import json
import os
import re
import threading
import time
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.llm import toolformat
from assistant.llm.base import (
    CancelToken,
    Completion,
    LLMError,
    Message,
    ModelLoadError,
    StreamItem,
    TextDelta,
    ToolChoice,
    Usage,
)

if TYPE_CHECKING:
    from llama_cpp import Llama, LlamaGrammar

GGUF_MAGIC = b"GGUF"
DEFAULT_SEED = 42
DEFAULT_TEMPERATURE = 0.2
"""For prose. Tool-call arguments are decoded greedily unless a temperature is given:
small models sampled at any temperature tend to run on inside JSON strings."""
DEFAULT_MAX_TOKENS = 1024
DEFAULT_REPEAT_PENALTY = 1.1
DELTA_FLUSH_S = 0.05
"""Streamed text is handed to the event loop at most this often (seconds)."""
# Text that ends a prose turn. ``<|im_end|>`` is normally one special (EOG) token,
# but a model may also spell it out; both are handled.
TURN_STOPS = (toolformat.IM_END, toolformat.IM_START, "<|endoftext|>")


_QUANT_SUFFIX = re.compile(r"[.-](?:I?Q\d\w*|F16|F32|BF16)$", re.IGNORECASE)


def model_name(path: Path) -> str:
    """``SmolLM2-135M-Instruct`` from ``SmolLM2-135M-Instruct.Q4_1.gguf``."""
    return _QUANT_SUFFIX.sub("", path.stem) or path.stem


@dataclass
class GenerationStats:
    """Measurements of the last ``stream()`` call (for benchmarks and tests)."""

    prompt_tokens: int = 0
    prompt_eval_tokens: int = 0
    """Prompt tokens llama.cpp actually evaluated (the rest came from the KV cache)."""
    output_tokens: int = 0
    time_to_first_token_s: float = 0.0
    decode_s: float = 0.0
    """Seconds from the first generated token to the last."""

    @property
    def decode_tokens_per_s(self) -> float:
        return (self.output_tokens - 1) / self.decode_s if self.decode_s > 0 else 0.0


@dataclass
class _Engine:
    """A loaded model and the one thread that may use it."""

    llm: Llama
    executor: ThreadPoolExecutor
    grammars: dict[tuple[str, str | None], LlamaGrammar] = field(default_factory=dict)

    def grammar(self, tools: list[dict[str, Any]], only: str | None) -> LlamaGrammar:
        from llama_cpp import LlamaGrammar

        key = (json.dumps(tools, sort_keys=True), only)
        cached = self.grammars.get(key)
        if cached is None:
            gbnf = toolformat.build_grammar(tools, only=only)
            cached = self.grammars[key] = LlamaGrammar.from_string(gbnf, verbose=False)
        return cached


_ENGINES: dict[tuple[str, int, int, int], _Engine] = {}
_ENGINES_LOCK = threading.Lock()


def check_gguf_file(path: Path) -> None:
    """Raise ``ModelLoadError`` unless ``path`` looks like a GGUF file.

    llama.cpp can abort the whole process on some malformed files, so the cheap
    checks happen here first.
    """
    if not path.exists():
        raise ModelLoadError(
            f"Model file {path} does not exist; pass --model with a path to a .gguf file "
            "or run `assistant models`."
        )
    if not path.is_file():
        raise ModelLoadError(
            f"Model path {path} is not a file; pass --model with a path to a .gguf file."
        )
    try:
        with path.open("rb") as f:
            magic = f.read(4)
    except OSError as e:
        raise ModelLoadError(
            f"Model file {path} cannot be read ({e.strerror}); check its permissions."
        ) from e
    if magic != GGUF_MAGIC:
        raise ModelLoadError(
            f"Model file {path} is not a GGUF file (it does not start with the GGUF magic "
            "bytes); download the model again or pass another .gguf file."
        )


def _load_engine(path: Path, n_ctx: int, n_threads: int, n_gpu_layers: int) -> _Engine:
    key = (str(path.resolve()), n_ctx, n_threads, n_gpu_layers)
    with _ENGINES_LOCK:
        engine = _ENGINES.get(key)
        if engine is not None:
            return engine
        check_gguf_file(path)
        from llama_cpp import Llama

        try:
            llm = Llama(
                model_path=str(path),
                n_ctx=n_ctx,
                n_batch=min(n_ctx, 512),
                n_threads=n_threads,
                n_threads_batch=n_threads,
                n_gpu_layers=n_gpu_layers,
                seed=DEFAULT_SEED,
                verbose=False,
            )
        except (ValueError, RuntimeError, OSError) as e:
            raise ModelLoadError(
                f"Model file {path} could not be loaded by llama.cpp (it may be truncated, "
                "corrupt or of an unsupported architecture); download it again or pass "
                "another .gguf file."
            ) from e
        engine = _ENGINES[key] = _Engine(
            llm=llm, executor=ThreadPoolExecutor(max_workers=1, thread_name_prefix="llama")
        )
        return engine


@dataclass
class _Plan:
    """What one ``stream()`` call will do, decided before any generation."""

    prompt_text: str
    prompt_tokens: list[int]
    temperature: float
    call_temperature: float
    """For the grammar-constrained call body: greedy unless the caller set a temperature."""
    max_tokens: int
    forced_call: bool
    """The assistant turn starts with ``<tool_call>`` (tool_choice required or a name)."""
    allow_call: bool
    """A ``<tool_call>`` opened in prose continues under the grammar (tool_choice auto)."""
    grammar: LlamaGrammar | None
    stops: tuple[str, ...]


@dataclass
class _Sampled:
    text: str
    """Everything generated before the stop string (which is left out)."""
    n_tokens: int
    reason: str
    """``eog``, ``stop`` (a stop string), ``length`` or ``cancelled``."""
    stop: str | None = None


class LlamaCppModel:
    """A local GGUF model implementing the ``ChatModel`` protocol."""

    provider = "local"

    def __init__(
        self,
        path: str | os.PathLike[str],
        n_ctx: int = 4096,
        n_threads: int | None = None,
        n_gpu_layers: int = 0,
        seed: int = DEFAULT_SEED,
        *,
        name: str | None = None,
        max_tokens: int | None = None,
        repeat_penalty: float = DEFAULT_REPEAT_PENALTY,
    ) -> None:
        self.path = Path(path).expanduser()
        self.default_max_tokens = max_tokens or DEFAULT_MAX_TOKENS
        """Per-turn cap when the caller gives none (a model's card may lower it)."""
        self.repeat_penalty = repeat_penalty
        # llama-cpp-python defaults to half the cores for decoding, which is much
        # slower on the small machines this runs on.
        threads = n_threads or os.cpu_count() or 1
        self._engine = _load_engine(self.path, n_ctx, threads, n_gpu_layers)
        self.n_threads = threads
        self.seed = seed
        self.context_length = self._engine.llm.n_ctx()
        self.name = name or model_name(self.path)
        self.last_stats = GenerationStats()

    @property
    def llama(self) -> Llama:
        """The shared ``llama_cpp.Llama`` (benchmarks compare against it directly)."""
        return self._engine.llm

    # -- tokens ---------------------------------------------------------------

    def tokenize(self, text: str) -> list[int]:
        return self._engine.llm.tokenize(text.encode("utf-8"), add_bos=True, special=True)

    def count_tokens(
        self, messages: list[Message], tools: list[dict[str, Any]] | None = None
    ) -> int:
        return len(self.tokenize(toolformat.render_prompt(messages, tools)))

    # -- streaming ------------------------------------------------------------

    def _plan(
        self,
        messages: list[Message],
        tools: list[dict[str, Any]] | None,
        tool_choice: ToolChoice,
        temperature: float | None,
        max_tokens: int | None,
    ) -> _Plan:
        tools = tools or []
        choice = tool_choice or "auto"
        prompt_text = toolformat.render_prompt(messages, tools or None)
        grammar = None
        forced = allow = False
        if tools and choice != "none":
            if choice == "auto":
                allow = True
                grammar = self._engine.grammar(tools, None)
            else:
                only = None if choice == "required" else choice
                if only is not None and only not in toolformat.tool_names(tools):
                    raise LLMError(
                        f"tool_choice names {only!r}, which is not among the tools "
                        f"{toolformat.tool_names(tools)}; pass one of them or 'auto'."
                    )
                forced = True
                grammar = self._engine.grammar(tools, only)
                prompt_text += toolformat.CALL_OPEN + "\n"
        elif choice not in ("auto", "none"):
            raise LLMError(
                f"tool_choice={choice!r} needs tools, but none were given; pass tools or use 'auto'."
            )
        tokens = self.tokenize(prompt_text)
        room = self.context_length - len(tokens)
        if room < 1:
            raise LLMError(
                f"The prompt needs {len(tokens)} tokens but the model's context holds "
                f"{self.context_length}; shorten the conversation or raise n_ctx."
            )
        stops = (*TURN_STOPS, toolformat.CALL_OPEN) if tools else TURN_STOPS
        return _Plan(
            prompt_text=prompt_text,
            prompt_tokens=tokens,
            temperature=DEFAULT_TEMPERATURE if temperature is None else temperature,
            call_temperature=0.0 if temperature is None else temperature,
            max_tokens=min(max_tokens or self.default_max_tokens, room),
            forced_call=forced,
            allow_call=allow,
            grammar=grammar,
            stops=stops,
        )

    async def stream(
        self,
        messages: list[Message],
        tools: list[dict[str, Any]] | None = None,
        *,
        tool_choice: ToolChoice = "auto",
        temperature: float | None = None,
        max_tokens: int | None = None,
        cancel: CancelToken | None = None,
    ) -> AsyncIterator[StreamItem]:
        plan = self._plan(messages, tools, tool_choice, temperature, max_tokens)
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[StreamItem | BaseException] = asyncio.Queue()
        abandoned = threading.Event()

        pending: list[str] = []
        last_flush = [0.0]

        def send(item: StreamItem | BaseException) -> None:
            try:
                loop.call_soon_threadsafe(queue.put_nowait, item)
            except RuntimeError:  # the event loop is closed: nobody is listening
                abandoned.set()

        def emit(item: StreamItem | BaseException) -> None:
            # Waking the event loop's thread for every token preempts llama.cpp's
            # spinning worker threads on a small machine (measured: -13% decode speed
            # on 2 cores), so text is handed over at most every DELTA_FLUSH_S; the
            # first delta goes at once so time to first token is unchanged.
            if isinstance(item, TextDelta):
                pending.append(item.text)
                now = time.monotonic()
                if now - last_flush[0] < DELTA_FLUSH_S:
                    return
                last_flush[0] = now
                item = TextDelta("".join(pending))
                pending.clear()
            elif pending:
                send(TextDelta("".join(pending)))
                pending.clear()
            send(item)

        def should_stop() -> bool:
            return abandoned.is_set() or (cancel is not None and cancel.cancelled)

        future = loop.run_in_executor(self._engine.executor, self._run, plan, emit, should_stop)
        try:
            while True:
                item = await queue.get()
                if isinstance(item, BaseException):
                    raise item
                yield item
                if isinstance(item, Completion):
                    break
            await future
        finally:
            # The consumer may stop early (break, task cancelled): end generation
            # at the next token so the worker thread is free for the next call.
            abandoned.set()

    def _run(
        self,
        plan: _Plan,
        emit: Callable[[StreamItem | BaseException], None],
        should_stop: Callable[[], bool],
    ) -> None:
        try:
            emit(self._generate(plan, emit, should_stop))
        except LLMError as e:
            emit(e)
        except Exception as e:  # a llama.cpp failure mid-generation
            err = LLMError(f"llama.cpp failed while generating ({e}); try a shorter conversation.")
            err.__cause__ = e
            emit(err)

    def _generate(
        self,
        plan: _Plan,
        emit: Callable[[StreamItem | BaseException], None],
        should_stop: Callable[[], bool],
    ) -> Completion:
        llm = self._engine.llm
        llm.set_seed(self.seed)
        self.last_stats = stats = GenerationStats(prompt_tokens=len(plan.prompt_tokens))
        prose = ""
        call_body: _Sampled | None = None
        output_tokens = 0
        if plan.forced_call:
            call_body = self._sample(
                plan.prompt_tokens, plan, None, plan.max_tokens, should_stop, stats
            )
            output_tokens = call_body.n_tokens
            reason = call_body.reason
        else:
            first = self._sample(
                plan.prompt_tokens,
                plan,
                lambda t: emit(TextDelta(t)),
                plan.max_tokens,
                should_stop,
                stats,
            )
            prose, output_tokens, reason = first.text, first.n_tokens, first.reason
            opened = first.reason == "stop" and first.stop == toolformat.CALL_OPEN
            if opened and plan.allow_call and output_tokens < plan.max_tokens:
                # Re-render the opening exactly as the next turn's prompt will,
                # so the KV cache stays a prefix of it.
                lead = prose.strip()
                text = (
                    plan.prompt_text + (f"{lead}\n" if lead else "") + toolformat.CALL_OPEN + "\n"
                )
                call_body = self._sample(
                    self.tokenize(text),
                    plan,
                    None,
                    plan.max_tokens - output_tokens,
                    should_stop,
                    None,
                )
                output_tokens += call_body.n_tokens
                reason = call_body.reason
        content = prose.strip()
        calls = []
        if call_body is not None and call_body.reason == "eog":
            # Under the grammar the model can only end its turn once the call is
            # complete, so an EOG means a whole, schema-valid call.
            block = f"{toolformat.CALL_OPEN}\n{call_body.text.strip()}\n{toolformat.CALL_CLOSE}"
            calls = toolformat.parse_tool_calls(block).tool_calls
        elif call_body is not None and call_body.reason == "length":
            # Cut off mid-call: keep the partial text visible rather than guess the rest.
            partial = f"{toolformat.CALL_OPEN}\n{call_body.text.strip()}"
            content = f"{content}\n{partial}".strip()
        finish = {"eog": "stop", "stop": "stop"}.get(reason, reason)
        if calls:
            finish = "tool_calls"
        stats.output_tokens = output_tokens
        usage = Usage(
            input_tokens=len(plan.prompt_tokens),
            output_tokens=output_tokens,
            cache_read_tokens=max(0, len(plan.prompt_tokens) - stats.prompt_eval_tokens),
        )
        return Completion(Message("assistant", content, tool_calls=calls), usage, finish)

    def _sample(
        self,
        tokens: list[int],
        plan: _Plan,
        on_text: Callable[[str], None] | None,
        budget: int,
        should_stop: Callable[[], bool],
        stats: GenerationStats | None,
    ) -> _Sampled:
        """Generate from ``tokens`` until EOG, a stop string, ``budget`` tokens or cancel.

        With ``on_text`` the prose is streamed, holding back anything that could be
        the start of a stop string and leading/trailing whitespace, so the deltas
        add up to exactly the final (stripped) content.
        """
        import llama_cpp

        llm = self._engine.llm
        vocab = llm._model.vocab
        grammar = None if on_text is not None else plan.grammar
        stops = () if grammar is not None else plan.stops
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        text = ""
        emitted = 0  # chars of ``text`` already streamed
        n = 0
        result: _Sampled | None = None
        n_ctx = self.context_length
        perf0 = _perf_tokens(llm) if stats is not None else 0
        t_start = time.perf_counter()
        t_first = t_start
        gen = llm.generate(
            tokens,
            temp=plan.temperature if grammar is None else plan.call_temperature,
            top_k=40,
            top_p=0.95,
            min_p=0.05,
            repeat_penalty=self.repeat_penalty,
            grammar=grammar,
        )
        try:
            for token in gen:
                if n == 0 and stats is not None:
                    t_first = time.perf_counter()
                    stats.time_to_first_token_s = t_first - t_start
                    stats.prompt_eval_tokens = _perf_tokens(llm) - perf0
                if should_stop():
                    result = _Sampled(text, n, "cancelled")
                    break
                if llama_cpp.llama_vocab_is_eog(vocab, token):
                    result = _Sampled(text, n, "eog")
                    break
                n += 1
                text += decoder.decode(llm.detokenize([token], special=True))
                hit = _find_stop(text, emitted, stops)
                if hit is not None:
                    result = _Sampled(text[: hit[0]], n, "stop", hit[1])
                    break
                if on_text is not None:
                    emitted = _stream_safe(text, emitted, stops, on_text)
                if n >= budget or llm.n_tokens + 1 >= n_ctx:
                    result = _Sampled(text, n, "length")
                    break
        finally:
            gen.close()
        if result is None:  # pragma: no cover - generate() never ends by itself
            result = _Sampled(text, n, "eog")
        if stats is not None and n > 1:
            stats.decode_s = time.perf_counter() - t_first
        if on_text is not None:
            final = result.text.rstrip()
            start = max(emitted, len(final) - len(final.lstrip()))
            if len(final) > start:
                on_text(final[start:])
        return result


def _perf_tokens(llm: Llama) -> int:
    """Tokens llama.cpp has decoded on this context so far (prompt + generation)."""
    import llama_cpp

    data = llama_cpp.llama_perf_context(llm.ctx)
    return int(data.n_p_eval) + int(data.n_eval)


def _find_stop(text: str, start: int, stops: tuple[str, ...]) -> tuple[int, str] | None:
    best: tuple[int, str] | None = None
    for s in stops:
        i = text.find(s, max(0, start - len(s)))
        if i >= 0 and (best is None or i < best[0]):
            best = (i, s)
    return best


def _stream_safe(
    text: str, emitted: int, stops: tuple[str, ...], on_text: Callable[[str], None]
) -> int:
    """Emit the part of ``text`` that can no longer become a stop string; return the new mark."""
    safe = len(text)
    for s in stops:
        for k in range(min(len(s) - 1, len(text)), 0, -1):
            if s.startswith(text[len(text) - k :]):
                safe = min(safe, len(text) - k)
                break
    visible = text[:safe].rstrip()
    start = max(emitted, len(visible) - len(visible.lstrip()))
    if len(visible) > start:
        on_text(visible[start:])
        return len(visible)
    return emitted
