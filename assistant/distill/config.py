"""Distill settings as plain data, and the parsing of the command line into them."""

from __future__ import annotations

import math
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from assistant.distill.teachers import PROVIDERS, RetryPolicy
from assistant.llm.base import LLMError
from assistant.llm.sdkutil import checked_base_url

DEFAULT_MODELS = {
    "anthropic": "claude-sonnet-4-5",
    "openai": "gpt-4.1-mini",
    "local": "local",
    "scripted": "scripted",
}
KEY_ENV = {"anthropic": "ANTHROPIC_API_KEY", "openai": "OPENAI_API_KEY"}
SANDBOXES = ("docker", "host")


class ConfigError(ValueError):
    """A bad command line; the message is one sentence naming the problem and the fix."""


@dataclass
class TeacherSpec:
    provider: str
    model: str
    base_url: str | None = None
    api_key: str | None = field(default=None, repr=False)
    """Never serialised: ``public()`` leaves it out."""
    model_path: Path | None = None

    def public(self) -> dict[str, Any]:
        return {
            "provider": self.provider,
            "model": self.model,
            "base_url": self.base_url,
            "model_path": str(self.model_path) if self.model_path else None,
        }


@dataclass
class DistillConfig:
    teachers: list[TeacherSpec]
    ratios: list[float]
    num_examples: int
    output_dir: Path
    categories: list[str] | None = None
    seed: int = 0
    concurrency: int = 8
    temperature: float | None = 0.7
    max_tokens: int | None = 2048
    max_cost: float | None = None
    yes: bool = False
    batch: bool = False
    resume: bool = False
    val_fraction: float = 0.05
    sandbox: str = "docker"
    max_steps: int = 12
    rate_per_s: float = 0.0
    max_attempts: int | None = None
    confirm_threshold_usd: float = 5.0
    progress: bool = True
    batch_poll_s: float = 30.0
    workers: int = 0
    """Processes making calls; 0 is automatic (see workers.auto_workers)."""
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    mix: dict[str, float] | None = None
    """Share of tasks per mode (call / abstain / agent); None is tasks.DEFAULT_MIX."""

    @property
    def attempts_limit(self) -> int:
        return self.max_attempts or self.num_examples * 4 + 16

    def identity(self) -> dict[str, Any]:
        """What a resumed run must agree on with the run it continues."""
        return {
            "teachers": [t.public() for t in self.teachers],
            "ratios": self.ratios,
            "num_examples": self.num_examples,
            "categories": self.categories,
            "seed": self.seed,
            "temperature": self.temperature,
            "max_tokens": self.max_tokens,
            "mix": self.mix,
        }

    def public(self) -> dict[str, Any]:
        d = {k: v for k, v in asdict(self).items() if k not in ("teachers", "retry")}
        d["teachers"] = [t.public() for t in self.teachers]
        d["output_dir"] = str(self.output_dir)
        return d


def _split(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


def _per_provider(value: str | None, providers: list[str], what: str) -> dict[str, str]:
    """``a,b`` aligned with the providers, or ``provider=value`` pairs."""
    items = _split(value)
    if not items:
        return {}
    if all("=" in i for i in items):
        out = dict(i.split("=", 1) for i in items)
        unknown = [p for p in out if p not in providers]
        if unknown:
            raise ConfigError(
                f"--{what} names {', '.join(unknown)}, which is not among the providers "
                f"({', '.join(providers)}); fix the provider=value pairs."
            )
        return out
    if len(items) == 1 and len(providers) == 1:
        return {providers[0]: items[0]}
    if len(items) != len(providers):
        raise ConfigError(
            f"--{what} has {len(items)} values for {len(providers)} providers; give one per "
            "provider in the same order, or provider=value pairs."
        )
    return dict(zip(providers, items, strict=True))


def _apply_prices(teachers: list[TeacherSpec], price_in: str | None, price_out: str | None) -> None:
    """``--price-in/--price-out`` for paid teachers; a paid teacher whose model is not in the
    price table and has no price given is refused: its cost would silently be $0, the
    confirmation skipped and --max-cost never reached."""
    from assistant.llm.pricing import FREE_PROVIDERS, price_for, set_price

    paid = [t.provider for t in teachers if t.provider not in FREE_PROVIDERS]
    ins = _per_provider(price_in, paid, "price-in") if paid else {}
    outs = _per_provider(price_out, paid, "price-out") if paid else {}
    for t in teachers:
        if t.provider in FREE_PROVIDERS:
            continue
        pin, pout = ins.get(t.provider), outs.get(t.provider)
        if (pin is None) != (pout is None):
            raise ConfigError(
                f"Give both --price-in and --price-out for {t.model}, not one of them."
            )
        if pin is not None and pout is not None:
            try:
                values = float(pin), float(pout)
            except ValueError:
                raise ConfigError(
                    "--price-in and --price-out must be USD per million tokens, like 3 or 0.25."
                ) from None
            if min(values) < 0:
                raise ConfigError("--price-in and --price-out must not be negative.")
            set_price(t.model, *values)
        elif not price_for(t.model, t.provider).known:
            raise ConfigError(
                f"No price is known for {t.model}; pass --price-in and --price-out (USD per "
                "million input and output tokens) so the cost can be estimated and --max-cost "
                "enforced."
            )


def _refuse_unused_by_scripted(model: str | None, batch: bool) -> None:
    """The scripted teacher has no model and no batch API: an option it would ignore is
    refused rather than recorded in metadata.json as if it had been used."""
    unused = [o for o, given in (("--model", model), ("--batch", batch)) if given]
    if unused:
        raise ConfigError(
            f"The scripted teacher uses no {' or '.join(unused)}; drop "
            f"{'it' if len(unused) == 1 else 'them'}, or pick a provider that has one."
        )


def parse_config(
    *,
    provider: str | None,
    providers: str | None,
    mix_ratio: str | None,
    model: str | None,
    base_url: str | None,
    model_path: Path | None,
    api_key: str | None,
    num_examples: int,
    output_dir: Path,
    categories: str | None,
    env: dict[str, str] | None = None,
    price_in: str | None = None,
    price_out: str | None = None,
    **rest: Any,
) -> DistillConfig:
    """Check the command line and build a config; raises ConfigError with the fix."""
    env = dict(os.environ) if env is None else env
    names = _split(providers) or ([provider] if provider else [])
    if not names:
        raise ConfigError("No teacher given; pass --provider anthropic|openai|local|scripted.")
    if provider and providers and provider not in names:
        raise ConfigError(
            f"--provider {provider} is not in --providers {providers}; drop one of them."
        )
    unknown = [n for n in names if n not in PROVIDERS]
    if unknown:
        raise ConfigError(f"Unknown provider {unknown[0]!r}; choose from {', '.join(PROVIDERS)}.")
    if len(set(names)) != len(names):
        raise ConfigError("--providers lists a provider twice; list each once.")
    if mix_ratio:
        try:
            ratios = [float(r) for r in _split(mix_ratio)]
        except ValueError:
            raise ConfigError(f"--mix-ratio {mix_ratio!r} must be numbers like 0.5,0.5.") from None
        if len(ratios) != len(names):
            raise ConfigError(
                f"--mix-ratio has {len(ratios)} values but there are {len(names)} providers; "
                "give one ratio per provider."
            )
        if any(r < 0 for r in ratios) or not math.isclose(sum(ratios), 1.0, abs_tol=1e-6):
            raise ConfigError(
                f"--mix-ratio values must be non-negative and sum to 1 (they sum to {sum(ratios):g})."
            )
    else:
        ratios = [1.0 / len(names)] * len(names)
    if names == ["scripted"]:
        _refuse_unused_by_scripted(model, bool(rest.get("batch")))
    models = _per_provider(model, names, "model")
    urls = _per_provider(base_url, names, "base-url")
    for url in urls.values():
        try:
            checked_base_url(url, "--base-url")
        except LLMError as exc:
            raise ConfigError(str(exc)) from None
    keys = _per_provider(api_key, names, "api-key") if api_key else {}
    teachers = []
    for name in names:
        key = keys.get(name) or (env.get(KEY_ENV[name]) if name in KEY_ENV else None)
        url = urls.get(name)
        if name in KEY_ENV and not key and not (name == "openai" and url):
            raise ConfigError(
                f"{KEY_ENV[name]} is not set; export it or pass --api-key for the {name} teacher."
            )
        path = model_path if name == "local" else None
        if path is not None and not path.is_file():
            raise ConfigError(f"--model-path {path} does not exist; pass the path of a .gguf file.")
        teachers.append(TeacherSpec(name, models.get(name) or DEFAULT_MODELS[name], url, key, path))
    _apply_prices(teachers, price_in, price_out)
    if num_examples < 1:
        raise ConfigError("--num-examples must be at least 1.")
    cats = _split(categories) or None
    if cats:
        from assistant.distill.tasks import categories as known_categories

        known = known_categories()
        bad = [c for c in cats if c not in known]
        if bad:
            raise ConfigError(f"Unknown category {bad[0]!r}; choose from {', '.join(known)}.")
    cfg = DistillConfig(
        teachers=teachers,
        ratios=ratios,
        num_examples=num_examples,
        output_dir=output_dir,
        categories=cats,
        **rest,
    )
    if not 0 <= cfg.val_fraction < 1:
        raise ConfigError("--val-fraction must be at least 0 and below 1.")
    if cfg.workers < 0:
        raise ConfigError("--workers must be 0 (automatic) or a number of processes.")
    if cfg.workers > 1 and (cfg.batch or any(t.provider == "local" for t in teachers)):
        raise ConfigError(
            "--workers applies to cloud teachers called directly; drop it with "
            "--batch or the local teacher."
        )
    if cfg.concurrency < 1:
        raise ConfigError("--concurrency must be at least 1.")
    if cfg.sandbox not in SANDBOXES:
        raise ConfigError(f"--sandbox must be one of {', '.join(SANDBOXES)}.")
    if cfg.max_cost is not None and cfg.max_cost <= 0:
        raise ConfigError("--max-cost must be a positive number of US dollars.")
    return cfg
