"""``objective: dpo``: decision pairs from records, the DPO loss, and a real training run
whose first step sees the policy equal to its reference."""

from __future__ import annotations

import json
import math
import random
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.cli import app
from assistant.training.pairs import call_opening, decision_pairs, most_tempting
from tests.training.records import make_records, write_dataset

torch = pytest.importorskip("torch")


def _tool(name: str, description: str) -> dict:
    return {
        "type": "function",
        "function": {"name": name, "description": description, "parameters": {"type": "object"}},
    }


SERVICE = [
    _tool("book_piano_tuning", "Book a piano tuning visit."),
    _tool("cancel_piano_tuning", "Cancel a booked piano tuning visit."),
    _tool("tuner_availability", "Days a tuner is free."),
]
AGENT = [_tool("read_file", "Read a file."), _tool("grep", "Search file contents.")]
LONGER = [*SERVICE, _tool("tuning_history", "Every tuning of one piano, oldest first. " * 12)]


def _record(rid: str, mode: str, tools: list, request: str, reply: dict) -> dict:
    return {
        "id": rid,
        "tools": tools,
        "meta": {"mode": mode},
        "messages": [
            {"role": "system", "content": "sys"},
            {"role": "user", "content": request},
            {"role": "assistant", **reply},
        ],
    }


def _call(name: str) -> dict:
    fn = {"name": name, "arguments": "{}"}
    return {"content": "", "tool_calls": [{"id": "c1", "type": "function", "function": fn}]}


def test_pairs_put_the_tempting_mistake_beside_what_the_record_does() -> None:
    records = [
        _record(
            "abstain",
            "abstain",
            SERVICE,
            "What does cancelling a tuning cost?",
            {"content": "None of these tools can tell you what cancelling costs."},
        ),
        _record(
            "book", "call", SERVICE, "Book a piano tuning for Friday.", _call("book_piano_tuning")
        ),
        _record("agent", "agent", AGENT, "What is in setup.cfg?", _call("read_file")),
        _record("no-tools", "abstain", [], "Hi", {"content": "Hello!"}),
    ]
    pairs = decision_pairs(records, seed=1)
    kinds = {p.id: (p.chosen, p.rejected) for p in pairs}
    assert set(kinds) == {
        "abstain:abstain_vs_call",
        "book:call_vs_sibling",
        "book:call_vs_prose",
        "agent:call_vs_prose",
    }
    # the near miss is the tool sharing most words with the request ("cancel", "tuning")
    assert kinds["abstain:abstain_vs_call"] == (
        "None of these tools",
        call_opening("cancel_piano_tuning"),
    )
    assert kinds["book:call_vs_sibling"] == (
        '<tool_call>\n{"name": "book_piano_tuning"',
        '<tool_call>\n{"name": "cancel_piano_tuning"',
    )
    assert kinds["book:call_vs_prose"][1] == "None of these tools"
    pair = next(p for p in pairs if p.id == "book:call_vs_sibling")
    assert [m.role for m in pair.messages] == ["system", "user"] and pair.tools == SERVICE


def _agent_record(rid: str, steps: list[dict], answer: str) -> dict:
    """read_file calls, each followed by its result, then ``answer``."""
    messages: list[dict] = [
        {"role": "system", "content": "sys"},
        {"role": "user", "content": "What is in setup.cfg?"},
    ]
    for n, step in enumerate(steps):
        call = _call(step["name"])
        call["tool_calls"][0]["id"] = f"c{n}"
        messages += [
            {"role": "assistant", **call},
            {"role": "tool", "tool_call_id": f"c{n}", "content": step["result"]},
        ]
    messages.append({"role": "assistant", "content": answer})
    return {"id": rid, "tools": AGENT, "meta": {"mode": "agent"}, "messages": messages}


def test_pairs_after_a_tool_result_come_only_when_asked_for() -> None:
    records = [
        _agent_record(
            "two-steps",
            [
                {"name": "grep", "result": "setup.cfg:1:[metadata]"},
                {"name": "read_file", "result": "[metadata]"},
            ],
            "It holds the package metadata.",
        ),
        _record("book", "call", SERVICE, "Book a tuning.", _call("book_piano_tuning")),
    ]
    first_only = decision_pairs(records, seed=3)
    assert {p.kind for p in first_only} <= {"abstain_vs_call", "call_vs_sibling", "call_vs_prose"}
    every = decision_pairs(
        records,
        seed=3,
        kinds=(
            "abstain_vs_call",
            "call_vs_sibling",
            "call_vs_prose",
            "answer_vs_repeat",
            "call_vs_answer",
        ),
    )
    assert [
        p for p in every if p.kind in {"abstain_vs_call", "call_vs_sibling", "call_vs_prose"}
    ] == first_only
    later = {
        p.kind: p
        for p in every
        if p.id.startswith("two-steps:") and p.kind not in {"call_vs_prose"}
    }
    again = later["call_vs_answer"]  # after grep's result the record reads the file
    assert again.chosen == call_opening("read_file")
    assert again.rejected == "It holds the package"  # an answer after a result, 4 words
    assert [m.role for m in again.messages] == ["system", "user", "assistant", "tool"]
    done = later["answer_vs_repeat"]  # after read_file's result it answers
    assert (done.chosen, done.rejected) == ("It holds the package", call_opening("read_file"))
    assert done.messages[-1].content == "[metadata]"
    assert [p.id.split(":")[0] for p in every] == sorted(
        (p.id.split(":")[0] for p in every), key=["two-steps", "book"].index
    )
    only_later = decision_pairs(records, seed=3, kinds=("answer_vs_repeat",))
    assert [p.kind for p in only_later] == ["answer_vs_repeat"]


def test_most_tempting_counts_shared_word_stems() -> None:
    rng = random.Random(0)
    assert most_tempting("When is a tuner available?", SERVICE, rng) == "tuner_availability"
    assert most_tempting("anything", [], rng) is None


def test_dpo_loss_matches_the_formula() -> None:
    from assistant.training.dpo import dpo_losses

    policy = torch.tensor([[-1.0, -3.0], [-2.0, -2.0]])
    reference = torch.tensor([[-2.0, -2.0], [-2.0, -2.0]])
    losses, margin = dpo_losses(policy, reference, beta=0.5)
    # margin = 0.5 * ((-1 + 2) - (-3 + 2)) = 1; a policy equal to its reference: 0
    assert margin.tolist() == [1.0, 0.0]
    assert losses.tolist() == pytest.approx([math.log(1 + math.exp(-1)), math.log(2)])


@pytest.mark.slow
def test_pair_log_probabilities_match_a_plain_forward_pass(tokenizer) -> None:
    """Pairs opening with the same prompt run as one batch, the others alone; every side's
    log-probability is that of running it on its own."""
    from assistant.training.base import load_model, resolve_base
    from assistant.training.dpo import _batches_sharing_prompts, pairs_logps
    from assistant.training.pairs import encode_pairs
    from assistant.training.prefix import prefix_group_key

    records = [
        _record(
            "book", "call", SERVICE, "Book a piano tuning for Friday.", _call("book_piano_tuning")
        ),
        _record("free", "call", SERVICE, "Is a tuner free on Monday?", _call("tuner_availability")),
        _record("read", "agent", AGENT, "What is in setup.cfg?", _call("read_file")),
        _record(
            "q", "abstain", AGENT, "What is a decorator?", {"content": "A function that wraps."}
        ),
        # the same opening as SERVICE, then a prompt of its own: scored a pair at a time
        _record("long", "call", LONGER, "Book a piano tuning.", _call("book_piano_tuning")),
    ]
    pairs, dropped = encode_pairs(decision_pairs(records, seed=1), tokenizer)
    assert dropped == 0 and len(pairs) == 8
    groups: dict = {}
    for i, p in enumerate(pairs):
        groups.setdefault(prefix_group_key(p.chosen.input_ids), []).append(i)
    assert sorted(map(len, groups.values())) == [2, 6]
    service = next(g for g in groups.values() if len(g) == 6)
    assert _batches_sharing_prompts([pairs[i] for i in service], service) == [[i] for i in service]
    agent = next(g for g in groups.values() if len(g) == 2)
    assert _batches_sharing_prompts([pairs[i] for i in agent], agent) == [agent]
    model = load_model(resolve_base(None))
    model.eval()
    with torch.no_grad():
        batched = pairs_logps(model, pairs, tokenizer.pad_token_id or 0, autocast=False)
        plain = []
        for pair in pairs:
            row = []
            for side in (pair.chosen, pair.rejected):
                ids = torch.tensor([side.input_ids])
                logp = torch.log_softmax(model(input_ids=ids).logits[0, :-1].float(), dim=-1)
                picked = logp.gather(1, ids[0, 1:, None])[:, 0]
                row.append(float(picked[torch.tensor(side.mask[1:])].sum()))
            plain.append(row)
    assert batched.shape == (8, 2)
    assert batched.tolist() == [pytest.approx(row, abs=2e-3) for row in plain]
    for pair in pairs:
        start = pair.chosen.mask.index(True)
        assert pair.rejected.input_ids[:start] == pair.chosen.input_ids[:start]
        assert sum(pair.rejected.mask) >= 1 and sum(pair.chosen.mask) >= 1


def _reading_records(tmp_path: Path) -> Path:
    """A dataset of records that read a file, the same three for training and eval."""
    data = tmp_path / "data"
    data.mkdir()
    reads = [r for r in make_records(9, seed=4) if r["meta"]["category"] == "read"]
    lines = "".join(json.dumps(r) + "\n" for r in reads)
    (data / "train.jsonl").write_text(lines)
    (data / "val.jsonl").write_text(lines)
    return data


@pytest.mark.slow
@pytest.mark.parametrize("sft_weight", [0.0, 1.0])
def test_dpo_run_starts_at_its_reference_and_widens_the_margin(
    tmp_path: Path, sft_weight: float
) -> None:
    """Trained on records that read a file (pairs: read_file against run_shell), and
    evaluated on the same pairs: every pair ends ranked right. With ``dpo_sft_weight``
    each step also trains on whole records, and logs their loss."""
    data = _reading_records(tmp_path)
    config = tmp_path / "dpo.yaml"
    config.write_text(
        "objective: dpo\ndpo_beta: 0.5\nmax_steps: 3\nper_device_train_batch_size: 2\n"
        "learning_rate: 1.0e-3\nlora_r: 4\nlora_dropout: 0.0\neval_steps: 0\nsave_steps: 0\n"
        f"plot: false\nseed: 2\ndpo_sft_weight: {sft_weight}\n"
    )
    out = tmp_path / "run"
    result = CliRunner().invoke(
        app, ["train", "--data", str(data), "--out", str(out), "--config", str(config)]
    )
    assert result.exit_code == 0, result.output
    assert "3 pairs (0 dropped), 3 for eval" in " ".join(result.output.split())
    rows = [json.loads(line) for line in (out / "metrics.jsonl").read_text().splitlines()]
    steps = [r for r in rows if "loss" in r]
    assert len(steps) == 3
    # step 1 runs on the starting weights: every pair's policy equals its reference
    assert steps[0]["loss"] == pytest.approx(math.log(2), abs=2e-3)
    if sft_weight:  # cross-entropy of the records' turns, a mean over their target tokens
        assert all(0 < r["sft_loss"] < 5 for r in steps)
        # falls only if the records are trained on: pairs alone leave it where it was
        assert steps[-1]["sft_loss"] < 0.75 * steps[0]["sft_loss"]
    else:
        assert not any("sft_loss" in r for r in steps)
    final = rows[-1]
    assert final["eval_loss"] < math.log(2) - 0.1 and final["eval_pair_accuracy"] == 1.0
    reference = json.loads((out / "reference.json").read_text())["logps"]
    assert len(reference) == 3 and all(v[0] < 0 and v[1] < 0 for v in reference.values())
    assert (out / "adapter" / "adapter_model.safetensors").is_file()


def test_dpo_needs_records_that_decide(tmp_path: Path) -> None:
    data = write_dataset(tmp_path / "data", 4, 0, tools=False)
    config = tmp_path / "dpo.yaml"
    config.write_text("objective: dpo\nmax_steps: 1\n")
    result = CliRunner().invoke(
        app, ["train", "--data", str(data), "--out", str(tmp_path / "run"), "--config", str(config)]
    )
    assert result.exit_code != 0
    assert "gives a decision pair" in result.output and not (tmp_path / "run" / "adapter").exists()


@pytest.mark.slow
def test_resumed_dpo_run_reads_its_reference_and_refuses_without_it(tmp_path: Path) -> None:
    """A resumed run compares against the reference its first start scored (read from
    reference.json, never scored again from the resumed weights); with that file gone it
    stops with a sentence saying how to start again."""
    data = _reading_records(tmp_path)
    config = tmp_path / "dpo.yaml"
    config.write_text(
        "objective: dpo\nmax_steps: 2\nper_device_train_batch_size: 2\nlearning_rate: 1.0e-3\n"
        "lora_r: 4\nlora_dropout: 0.0\neval_steps: 0\nsave_steps: 1\nplot: false\nseed: 2\n"
    )
    out = tmp_path / "run"
    args = ["train", "--data", str(data), "--out", str(out), "--config", str(config)]
    first = CliRunner().invoke(app, args)
    assert first.exit_code == 0, first.output
    assert "DPO's reference" in first.output
    reference = (out / "reference.json").read_text()

    resumed = CliRunner().invoke(app, [*args, "--resume", "--max-steps", "3"])
    assert resumed.exit_code == 0, resumed.output
    assert "DPO's reference" not in resumed.output
    assert (out / "reference.json").read_text() == reference
    assert json.loads((out / "summary.json").read_text())["steps"] == 3

    (out / "reference.json").unlink()
    refused = CliRunner().invoke(app, [*args, "--resume", "--max-steps", "4"])
    assert refused.exit_code != 0
    assert "not the reference log-probabilities" in " ".join(refused.output.split())
    assert json.loads((out / "summary.json").read_text())["steps"] == 3


@pytest.mark.slow
def test_a_fresh_start_scores_its_reference_again_unless_nothing_it_depends_on_changed(
    tmp_path: Path,
) -> None:
    """A start killed before its first checkpoint leaves reference.json behind; the next
    fresh start in that --out reuses it only for the same starting weights and pairs."""
    import io
    import shutil

    from rich.console import Console

    from assistant.training.config import load_config
    from assistant.training.train import train

    data, out = _reading_records(tmp_path), tmp_path / "run"
    shipped = Path(__file__).resolve().parents[2] / "assistant" / "llm" / "tuned" / "adapter.gguf"
    config = tmp_path / "dpo.yaml"
    config.write_text(
        "objective: dpo\nmax_steps: 1\nper_device_train_batch_size: 2\neval_steps: 0\n"
        "save_steps: 0\nplot: false\nseed: 2\nlora_r: 16\nlora_alpha: 32\nlora_layers: 12\n"
        "lora_target_modules: [q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj]\n"
    )

    def start(**changes: str) -> tuple[bool, dict]:
        """A start stopped before its first step, its checkpoint gone as if killed earlier:
        (whether it scored the reference, what reference.json holds)."""
        log = io.StringIO()
        train(load_config(config).updated(**changes), data, out, stop_after=0,
              console=Console(file=log, width=200))  # fmt: skip
        shutil.rmtree(out / "checkpoints")
        return "DPO's reference" in log.getvalue(), json.loads((out / "reference.json").read_text())

    scored, first = start()
    assert scored and len(first["logps"]) == 3
    assert start() == (False, first)  # the same start: nothing to score again
    scored, other = start(init_from=str(shipped))
    assert scored and other["fingerprint"] != first["fingerprint"]
    assert other["logps"].keys() == first["logps"].keys() and other["logps"] != first["logps"]
