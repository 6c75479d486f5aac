"""Local GGUF models through llama-cpp-python (the default backend).

Design notes:

* One ``llama_cpp.Llama`` per (path, n_ctx, n_threads, n_gpu_layers) per process,
  together with the single worker thread allowed to touch it. Generation is sync,
  so each ``stream()`` call runs on that thread and hands tokens to the event loop.
* The prompt is rendered in the model's format (:mod:`assistant.llm.chattemplate`):
  the project's ChatML + ``<tool_call>`` format (:mod:`toolformat`) for ChatML
  templates and models without a template, otherwise the GGUF's own chat template
  with the tool-call dialect it implies (``llm.dialect`` overrides); it is tokenized here;
  the longest common prefix of the previous prompt stays in the KV cache, so turn
  N+1 (a strict extension of turn N) only evaluates the new tokens, the last of them
  on its own (:func:`_prefill_all_but_last`).
* Tool calls are constrained: the model writes prose until it opens
  ``<tool_call>``; the JSON body is then sampled under a GBNF grammar built from
  the tool schemas, so it always names a real tool with schema-valid arguments.
  After each call the model decides (unconstrained) whether another call follows.
* The branch point: with ``call_threshold`` set (a tuned model's card sets it, chosen
  on a validation split by ``assistant eval calibrate``), whether the turn opens with a
  call is decided by comparing the model's probability of opening one at the first token
  with the threshold, instead of by sampling.
"""

from __future__ import annotations

import asyncio
import atexit
import codecs
import json
import math
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
    ToolCall,
    ToolChoice,
    Usage,
)
from assistant.llm.chattemplate import PromptFormat, format_for_model
from assistant.llm.controltext import ControlTextGuard

if TYPE_CHECKING:
    from llama_cpp import Llama, LlamaGrammar

    from assistant.llm.dialects import Dialect

GGUF_MAGIC = b"GGUF"
DEFAULT_SEED = 42
DEFAULT_TEMPERATURE = 0.2
"""For prose. Tool-call arguments are decoded greedily unless a temperature is given:
small models sampled at any temperature tend to run on inside JSON strings."""
DEFAULT_MAX_TOKENS = 1024
DEFAULT_REPEAT_PENALTY = 1.1
MAX_CALLS_PER_TURN = 8
NEXT_CALL_BUDGET = 8
"""Tokens the model may spend between one call block and the end of the next
``<tool_call>`` (SmolLM2 writes ``\n<tool_call>`` as six)."""
MAX_GRAMMARS = 32
"""Compiled tool grammars kept per model (``serve`` meets a new tool list per client)."""
DELTA_FLUSH_S = 0.05
"""Streamed text is handed to the event loop at most this often (seconds)."""


_QUANT_SUFFIX = re.compile(r"[.-](?:I?Q\d\w*|F16|F32|BF16)$", re.IGNORECASE)


def model_name(path: Path) -> str:
    """``SmolLM2-135M-Instruct`` from ``SmolLM2-135M-Instruct.Q4_1.gguf``."""
    return _QUANT_SUFFIX.sub("", path.stem) or path.stem


@dataclass
class GenerationStats:
    """Measurements of the last ``stream()`` call (for benchmarks and tests)."""

    prompt_tokens: int = 0
    prompt_eval_tokens: int = 0
    """Prompt tokens llama.cpp evaluated (the rest came from the KV cache, unless a cancel
    ended the call while the prompt was evaluated)."""
    prompt_cached_tokens: int = 0
    """Prompt tokens found in the KV cache."""
    output_tokens: int = 0
    time_to_first_token_s: float = 0.0
    decode_s: float = 0.0
    """Seconds from the first generated token to the last."""
    p_open: float | None = None
    """The model's probability of opening a call at the first token (with a threshold)."""

    @property
    def decode_tokens_per_s(self) -> float:
        return (self.output_tokens - 1) / self.decode_s if self.decode_s > 0 else 0.0


@dataclass
class _Engine:
    """A loaded model and the one thread that may use it."""

    llm: Llama
    executor: ThreadPoolExecutor
    control_text: ControlTextGuard
    grammars: dict[tuple[str, str, str | None], LlamaGrammar] = field(default_factory=dict)

    def grammar(
        self, dialect: Dialect, tools: list[dict[str, Any]], only: str | None
    ) -> LlamaGrammar:
        from llama_cpp import LlamaGrammar

        key = (dialect.name, json.dumps(tools, sort_keys=True), only)
        cached = self.grammars.pop(key, None)
        if cached is None:
            try:
                gbnf = dialect.grammar(tools, only=only)
                self.check_parses(gbnf)
                cached = LlamaGrammar.from_string(gbnf, verbose=False)
            except Exception as e:  # llama.cpp's converter asserts on schemas it cannot handle
                raise self._grammar_error(dialect, tools, only, e) from e
        self.grammars[key] = cached  # the most recently used last
        while len(self.grammars) > MAX_GRAMMARS:
            del self.grammars[next(iter(self.grammars))]
        return cached

    def check_parses(self, gbnf: str) -> None:
        """Raise ValueError unless llama.cpp parses ``gbnf``: a sampler built from one it
        cannot parse is NULL, and sampling with it crashes the process."""
        import llama_cpp

        sampler = llama_cpp.llama_sampler_init_grammar(
            llama_cpp.llama_model_get_vocab(self.llm.model), gbnf.encode(), b"root"
        )
        if not sampler:
            raise ValueError("llama.cpp cannot parse the grammar made from it")
        llama_cpp.llama_sampler_free(sampler)

    def _grammar_error(
        self,
        dialect: Dialect,
        tools: list[dict[str, Any]],
        only: str | None,
        error: Exception,
    ) -> LLMError:
        """One sentence naming the tools whose schemas cannot become a grammar (tried one
        by one)."""
        bad: list[str] = []
        for t in tools:
            name = str(t.get("function", {}).get("name", "?"))
            if only is not None and name != only:
                continue
            try:
                self.check_parses(dialect.grammar([t]))
            except Exception:
                bad.append(name)
        if bad:
            which = f" of tool{'s' if len(bad) > 1 else ''} {', '.join(bad)}"
        else:
            which = "s of the tools"
        reason = str(error) or type(error).__name__
        return LLMError(
            f"The schema{which} cannot be turned into a grammar ({reason}); simplify its "
            "pattern (anchor it with ^...$) or $ref (local refs only), or leave the tool out."
        )


_ENGINES: dict[tuple[str, int, int, int], _Engine] = {}
_ENGINES_LOCK = threading.Lock()


@atexit.register
def _close_engines() -> None:
    """Free every model while llama_cpp's module is intact: left to ``Llama.__del__`` at
    interpreter shutdown, the free functions may already be gone (a TypeError on stderr)."""
    with _ENGINES_LOCK:
        for engine in _ENGINES.values():
            engine.executor.shutdown(wait=True, cancel_futures=True)
            engine.llm.close()
        _ENGINES.clear()


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
            llm=llm,
            executor=ThreadPoolExecutor(max_workers=1, thread_name_prefix="llama"),
            control_text=ControlTextGuard(_control_spellings(llm)),
        )
        return engine


def _control_spellings(llm: Llama) -> list[str]:
    """How the vocabulary's control tokens are written (``<|im_start|>``, ...)."""
    import llama_cpp

    vocab = llama_cpp.llama_model_get_vocab(llm.model)
    return [
        _piece(vocab, i).decode("utf-8", "replace")
        for i in range(llm.n_vocab())
        if llama_cpp.llama_vocab_get_attr(vocab, i) & llama_cpp.LLAMA_TOKEN_ATTR_CONTROL
    ]


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
    call_threshold: float | None = None
    """Decide the branch point by probability (tool_choice auto with tools only)."""
    prefill: bool = False
    """The reply continues the conversation's last assistant message (its text ends the
    prompt), so it keeps its leading whitespace: ``"6,"`` + ``" 7, 8"``."""


class BranchProbe:
    """A logits processor that decides, at the first token only, whether a call opens.

    It records the model's probability of the first token of ``<tool_call>`` (from the raw
    logits, before penalties and sampling filters). At or above ``threshold`` the call is
    taken (``opened``); below it that token is masked, so the turn is prose.
    """

    def __init__(self, open_token: int, threshold: float) -> None:
        self.open_token = open_token
        self.threshold = threshold
        self.p_open: float | None = None
        self.opened = False

    def __call__(self, input_ids: Any, scores: Any) -> Any:
        import numpy as np

        if self.p_open is not None:
            return scores
        logits = np.asarray(scores, dtype=np.float64)
        top = float(logits.max())
        weights = np.exp(logits - top)
        self.p_open = float(weights[self.open_token] / weights.sum())
        self.opened = self.p_open >= self.threshold
        if not self.opened:
            scores[self.open_token] = -np.inf
        return scores


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
        call_threshold: float | None = None,
        dialect: str = "auto",
        chat_template: str | None = None,
    ) -> None:
        self.path = Path(path).expanduser()
        self.default_max_tokens = max_tokens or DEFAULT_MAX_TOKENS
        """Per-turn cap when the caller gives none (a model's card may lower it)."""
        self.repeat_penalty = repeat_penalty
        if call_threshold is not None and not 0.0 <= call_threshold <= 1.0:
            raise LLMError(
                f"call_threshold={call_threshold} is not a probability; use a value in [0, 1]."
            )
        self.call_threshold = call_threshold
        """Probability of opening a call at which the turn opens one (None: sample it)."""
        # llama-cpp-python defaults to half the cores for decoding, which is much
        # slower on the small machines this runs on.
        threads = n_threads or os.cpu_count() or 1
        self._engine = _load_engine(self.path, n_ctx, threads, n_gpu_layers)
        self.n_threads = threads
        self.seed = seed
        self.context_length = self._engine.llm.n_ctx()
        self.name = name or model_name(self.path)
        self.prompt_format: PromptFormat
        self.notices: list[str]
        """Sentences for the user about how the model is prompted (no template, ...)."""
        self.prompt_format, self.notices = format_for_model(
            self._engine.llm, name=self.name, dialect=dialect, chat_template=chat_template
        )
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
        return len(self.tokenize(self._render(messages, tools)))

    def _render(self, messages: list[Message], tools: list[dict[str, Any]] | None) -> str:
        """The prompt's text; the conversation's own text never spells a control token.
        A last assistant message without calls is a prefill: the reply continues it."""
        guard = self._engine.control_text
        safe = guard.messages(messages)
        if not _continues(safe):
            return self.prompt_format.render(safe, guard.tools(tools))
        return self.prompt_format.render(safe[:-1], guard.tools(tools)) + safe[-1].content

    def call_probability(self, messages: list[Message], tools: list[dict[str, Any]]) -> float:
        """The model's probability of opening a tool call as the first token of its reply.

        Measured exactly where :class:`BranchProbe` decides during ``stream()`` (same
        prompt, same raw logits); ``assistant eval calibrate`` chooses the threshold from it.
        """
        plan = self._plan(messages, tools, "auto", 0.0, 1)
        probe = BranchProbe(self._open_token(), threshold=math.inf)

        def measure() -> float:
            self._sample(
                plan.prompt_tokens,
                grammar=None,
                temperature=0.0,
                stops=(),
                budget=1,
                should_stop=lambda: False,
                stats=None,
                probe=probe,
            )
            assert probe.p_open is not None
            return probe.p_open

        return self._engine.executor.submit(measure).result()

    @property
    def dialect(self) -> Dialect:
        """How this model writes tool calls (``hermes`` for the project's format)."""
        return self.prompt_format.dialect

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
        prompt_text = self._render(messages, tools or None)
        grammar = None
        forced = allow = False
        if tools and choice != "none":
            if choice == "auto":
                allow = True
                grammar = self._engine.grammar(self.dialect, tools, None)
            else:
                only = None if choice == "required" else choice
                if only is not None and only not in toolformat.tool_names(tools):
                    raise LLMError(
                        f"tool_choice names {only!r}, which is not among the tools "
                        f"{toolformat.tool_names(tools)}; pass one of them or 'auto'."
                    )
                forced = True
                grammar = self._engine.grammar(self.dialect, tools, only)
                prompt_text += self.dialect.call_open
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
        turn_stops = self.prompt_format.turn_stops
        stops = (*turn_stops, *self.dialect.open_markers) if tools else turn_stops
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
            call_threshold=self.call_threshold if allow else None,
            prefill=_continues(messages),
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
        calls: list[ToolCall] = []
        partial: str | None = None
        if plan.forced_call:
            body = self._sample(
                plan.prompt_tokens,
                grammar=plan.grammar,
                temperature=plan.call_temperature,
                stops=(),
                budget=plan.max_tokens,
                should_stop=should_stop,
                stats=stats,
            )
            output_tokens, reason = body.n_tokens, body.reason
            if body.reason == "eog":
                calls = self._parse_body(body.text)
            elif body.reason == "length":
                partial = body.text
        else:
            probe = self._probe(plan)
            first = self._sample(
                plan.prompt_tokens,
                grammar=None,
                temperature=plan.temperature,
                stops=plan.stops,
                budget=plan.max_tokens,
                should_stop=should_stop,
                stats=stats,
                on_text=lambda t: emit(TextDelta(t)),
                probe=probe,
                keep_leading=plan.prefill,
            )
            stats.p_open = probe.p_open if probe is not None else None
            prose, output_tokens, reason = first.text, first.n_tokens, first.reason
            opened = first.reason == "stop" and first.stop in self.dialect.open_markers
            # With a threshold the branch point decides: a call the model opens later in
            # prose it chose not to start with ends the reply, without a call.
            allowed = plan.allow_call and (probe is None or probe.opened)
            if opened and allowed and output_tokens < plan.max_tokens:
                # Re-render the opening exactly as the next turn's prompt will,
                # so the KV cache stays a prefix of it.
                lead = prose.strip()
                head = plan.prompt_text + (f"{lead}\n" if lead else "")
                calls, partial, used, reason = self._sample_calls(
                    head, plan, plan.max_tokens - output_tokens, should_stop
                )
                output_tokens += used
        content = prose.rstrip() if plan.prefill else prose.strip()
        if partial is not None:
            # Cut off mid-call: keep the partial text visible rather than guess the rest.
            content = f"{content}\n{self.dialect.call_open}{partial.strip()}".strip()
        finish = {"eog": "stop", "stop": "stop"}.get(reason, reason)
        if calls:
            finish = "tool_calls"
        stats.output_tokens = output_tokens
        # As every backend counts (assistant.llm.pricing): input_tokens are the prompt
        # tokens evaluated, the ones found in the KV cache are cache reads.
        usage = Usage(
            input_tokens=stats.prompt_eval_tokens,
            output_tokens=output_tokens,
            cache_read_tokens=stats.prompt_cached_tokens,
        )
        return Completion(Message("assistant", content, tool_calls=calls), usage, finish)

    def _probe(self, plan: _Plan) -> BranchProbe | None:
        if plan.call_threshold is None:
            return None
        return BranchProbe(self._open_token(), plan.call_threshold)

    def _open_token(self) -> int:
        """The first token of a call opening (``<tool_call>``) as the tokenizer writes it."""
        opening = self.dialect.call_open.strip() or self.dialect.open_markers[-1]
        return self._engine.llm.tokenize(opening.encode("utf-8"), add_bos=False, special=True)[0]

    def _sample_calls(
        self, head: str, plan: _Plan, budget: int, should_stop: Callable[[], bool]
    ) -> tuple[list[ToolCall], str | None, int, str]:
        """Sample call bodies under the grammar after ``head`` until the model stops opening
        calls: ``(calls, partial body cut off by the budget, tokens used, reason)``."""
        calls: list[ToolCall] = []
        blocks: list[str] = []
        used = 0
        while True:
            text = head + "".join(f"{b}\n" for b in blocks) + self.dialect.call_open
            body = self._sample(
                self.tokenize(text),
                grammar=plan.grammar,
                temperature=plan.call_temperature,
                stops=(),
                budget=budget - used,
                should_stop=should_stop,
                stats=None,
            )
            used += body.n_tokens
            if body.reason != "eog":
                # Under the grammar the model can only end once the call is complete,
                # so anything but an EOG is a cut-off (or cancelled) call.
                return calls, body.text if body.reason == "length" else None, used, body.reason
            parsed = self._parse_body(body.text)
            calls.extend(parsed)
            blocks.extend(self.dialect.render_call(c) for c in parsed)
            if len(calls) >= MAX_CALLS_PER_TURN or used >= budget:
                return calls, None, used, "eog"
            # Unconstrained and greedy: does another ``<tool_call>`` follow this block?
            after = head + "\n".join(blocks)
            nxt = self._sample(
                self.tokenize(after),
                grammar=None,
                temperature=0.0,
                stops=(*self.dialect.open_markers, *self.prompt_format.turn_stops),
                budget=min(NEXT_CALL_BUDGET, budget - used),
                should_stop=should_stop,
                stats=None,
            )
            used += nxt.n_tokens
            if not (nxt.stop in self.dialect.open_markers and not nxt.text.strip()):
                return calls, None, used, "eog"

    def _parse_body(self, body: str) -> list[ToolCall]:
        """The calls in a body generated under the grammar, read by the model's dialect."""
        return self.dialect.parse(self.dialect.block(body)).tool_calls

    def _sample(
        self,
        tokens: list[int],
        *,
        grammar: LlamaGrammar | None,
        temperature: float,
        stops: tuple[str, ...],
        budget: int,
        should_stop: Callable[[], bool],
        stats: GenerationStats | None,
        on_text: Callable[[str], None] | None = None,
        probe: BranchProbe | None = None,
        keep_leading: bool = False,
    ) -> _Sampled:
        """Generate from ``tokens`` until EOG, a stop string, ``budget`` tokens or cancel.

        With ``on_text`` the prose is streamed, holding back anything that could be
        the start of a stop string and leading/trailing whitespace, so the deltas
        add up to exactly the final (stripped) content. With ``probe`` the first token
        decides the branch point: a taken call ends sampling as if ``<tool_call>`` had
        been written.
        """
        import llama_cpp

        llm = self._engine.llm
        vocab = llm._model.vocab
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        text = ""
        emitted = 0  # chars of ``text`` already streamed
        n = 0
        result: _Sampled | None = None
        n_ctx = self.context_length
        t_start = time.perf_counter()
        t_first = t_start
        if len(tokens) >= n_ctx:
            # A call opened at the very end of the context: its opening no longer fits.
            return _Sampled("", 0, "length")
        cached, complete = _prefill_all_but_last(llm, tokens, should_stop)
        if stats is not None:
            stats.prompt_cached_tokens = cached
            # generate() evaluates the last prompt token (all of them when none is cached).
            stats.prompt_eval_tokens = (len(tokens) if complete else llm.n_tokens) - cached
        if not complete:  # cancelled while the prompt was evaluated
            return _Sampled("", 0, "cancelled")
        gen = llm.generate(
            tokens,
            temp=temperature,
            top_k=40,
            top_p=0.95,
            min_p=0.05,
            repeat_penalty=self.repeat_penalty,
            grammar=grammar,
            logits_processor=None if probe is None else llama_cpp.LogitsProcessorList([probe]),
        )
        try:
            for token in gen:
                if n == 0 and stats is not None:
                    t_first = time.perf_counter()
                    stats.time_to_first_token_s = t_first - t_start
                if should_stop():
                    result = _Sampled(text, n, "cancelled")
                    break
                if probe is not None and probe.opened:
                    result = _Sampled("", 0, "stop", self.dialect.open_markers[0])
                    break
                if llama_cpp.llama_vocab_is_eog(vocab, token):
                    result = _Sampled(text, n, "eog")
                    break
                n += 1
                text += decoder.decode(_piece(vocab, token))
                hit = _find_stop(text, emitted, stops)
                if hit is not None:
                    result = _Sampled(text[: hit[0]], n, "stop", hit[1])
                    break
                if on_text is not None:
                    emitted = _stream_safe(text, emitted, stops, on_text, keep_leading)
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
            start = emitted if keep_leading else max(emitted, len(final) - len(final.lstrip()))
            if len(final) > start:
                on_text(final[start:])
        return result


def _continues(messages: list[Message]) -> bool:
    """Whether the last message is an assistant's text to continue (Anthropic's prefill)."""
    return bool(messages) and messages[-1].role == "assistant" and not messages[-1].tool_calls


def _prefill_all_but_last(
    llm: Llama, tokens: list[int], should_stop: Callable[[], bool]
) -> tuple[int, bool]:
    """Leave the KV cache holding ``tokens`` but the last, reusing what it already shares:
    ``(tokens it already held, whether it got to the end)``.

    The new tokens are evaluated a batch at a time, as ``Llama.eval`` does, with
    ``should_stop`` asked before each batch: a long prompt on a large model takes minutes,
    and a cancel must not wait for it. What was evaluated stays for the next call.

    ``generate()`` then always decodes the last prompt token on its own, as it does for a
    prompt it finds fully cached. Decoded in a batch with the tokens before it, that
    token's logits differ in the last bits on some CPUs, enough to change a seeded sample
    between a first request and its repeat.
    """
    import llama_cpp
    import numpy as np

    head = tokens[:-1]
    n = min(llm.n_tokens, len(head))
    differ = np.flatnonzero(llm.input_ids[:n] != np.asarray(head[:n], dtype=llm.input_ids.dtype))
    shared = int(differ[0]) if differ.size else n
    if shared == len(head):
        return shared, True
    memory = llama_cpp.llama_get_memory(llm.ctx)
    if shared < llm.n_tokens and not llama_cpp.llama_memory_seq_rm(memory, 0, shared, -1):
        # A recurrent model's state cannot be cut back to a prefix: start over.
        llm.reset()
        shared = 0
    llm.n_tokens = shared
    for start in range(shared, len(head), llm.n_batch):
        if should_stop():
            return shared, False
        llm.eval(head[start : start + llm.n_batch])
    return shared, True


def _piece(vocab: Any, token: int) -> bytes:
    """The text of one token, special tokens spelled out.

    Not ``Llama.detokenize``: it reads pieces into a 32-byte buffer and returns nothing
    for longer ones (SmolLM2 has 47, such as a newline with 32 spaces of indentation).
    """
    import ctypes

    import llama_cpp

    size = 64
    while True:
        buf = (ctypes.c_char * size)()
        n = llama_cpp.llama_token_to_piece(vocab, token, buf, size, 0, True)
        if n >= 0:
            return bytes(buf[:n])
        size = -n  # too small: llama.cpp says how much it needs


def _find_stop(text: str, start: int, stops: tuple[str, ...]) -> tuple[int, str] | None:
    best: tuple[int, str] | None = None
    for s in stops:
        i = text.find(s, max(0, start - len(s)))
        if i >= 0 and (best is None or i < best[0]):
            best = (i, s)
    return best


def _stream_safe(
    text: str,
    emitted: int,
    stops: tuple[str, ...],
    on_text: Callable[[str], None],
    keep_leading: bool = False,
) -> int:
    """Emit the part of ``text`` that can no longer become a stop string; return the new mark."""
    safe = len(text)
    for s in stops:
        for k in range(min(len(s) - 1, len(text)), 0, -1):
            if s.startswith(text[len(text) - k :]):
                safe = min(safe, len(text) - k)
                break
    visible = text[:safe].rstrip()
    start = emitted if keep_leading else max(emitted, len(visible) - len(visible.lstrip()))
    if len(visible) > start:
        on_text(visible[start:])
        return len(visible)
    return emitted
