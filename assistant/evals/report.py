"""Aggregating scores per system and category, the Markdown report, the JSON dump, the plot and the gate."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from assistant.bench.measure import p95
from assistant.evals.cases import CATEGORIES, LANGUAGES
from assistant.evals.scoring import Score

# Metric name → (description, higher is better)
METRICS: dict[str, tuple[str, bool]] = {
    "accuracy": ("cases fully right", True),
    "wrong": ("answers given that are not right (wrong among answered)", False),
    "crashes": ("cases on which the system raised", False),
    "hit@1": ("a gold chunk ranked first", True),
    "hit@5": ("a gold chunk in the top 5", True),
    "mrr@10": ("mean reciprocal rank of the first gold chunk", True),
    "recall@5": ("gold sources found in the top 5 (multi-source cases)", True),
    "numeric_em": ("expected figures stated exactly (unit and currency)", True),
    "percent_confusions": ("figures off by a percent reading", False),
    "citation_precision": ("citations whose quote holds what cites it", True),
    "citation_recall": ("stated figures backed by a citation", True),
    "unsupported_figures": ("figures no citation or working supports", False),
    "refusal": ("unanswerable questions refused", True),
    "false_refusal": ("answerable questions refused", False),
    "calculator": ("calculation results exact", True),
    "figures_removed": ("figures the grounding check removed from model drafts", False),
    "fallbacks": ("model answers replaced by the offline answer", False),
    "latency_p50_ms": ("median seconds per case, in ms", False),
    "latency_p95_ms": ("95th percentile per case, in ms", False),
}


def _mean(values: Iterable[float | bool | None]) -> float | None:
    kept = [float(v) for v in values if v is not None]
    return sum(kept) / len(kept) if kept else None


def _ratio(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def aggregate(scores: list[Score]) -> dict[str, float | None]:
    """Every metric over a set of scores (``None`` when no case applies)."""
    answerable = [s for s in scores if not s.expected_refusal]
    unanswerable = [s for s in scores if s.expected_refusal]
    times = sorted(s.seconds for s in scores)
    return {
        "cases": float(len(scores)),
        "accuracy": _mean(s.correct for s in scores),
        "wrong": _mean(s.wrong for s in scores if s.answered),
        "crashes": float(sum(bool(s.crashed) for s in scores)),
        "hit@1": _mean(s.hit1 for s in scores),
        "hit@5": _mean(s.hit5 for s in scores),
        "mrr@10": _mean(s.rr10 for s in scores),
        "recall@5": _mean(s.recall5 for s in scores),
        "numeric_em": _ratio(sum(s.figures_matched for s in answerable), sum(s.figures_expected for s in answerable)),
        "percent_confusions": float(sum(s.percent_confusions for s in scores)),
        "citation_precision": _ratio(sum(s.citations_precise for s in scores), sum(s.citations for s in scores)),
        "citation_recall": _ratio(
            sum(s.figures_stated - s.figures_unsupported for s in scores), sum(s.figures_stated for s in scores)
        ),
        "unsupported_figures": float(sum(s.figures_unsupported for s in scores)),
        "refusal": _mean(s.refused for s in unanswerable),
        "false_refusal": _mean(s.refused for s in answerable),
        "calculator": _mean(s.calc_ok for s in scores),
        "figures_removed": float(sum(s.figures_removed for s in scores)),
        "fallbacks": float(sum(s.fallback for s in scores)),
        "latency_p50_ms": times[len(times) // 2] * 1000 if times else None,
        "latency_p95_ms": p95(times) * 1000 if times else None,
    }


def summarise(scores: list[Score]) -> dict[str, dict[str, dict[str, float | None]]]:
    """``{system: {"overall" | category: {metric: value}}}``."""
    result: dict[str, dict[str, dict[str, float | None]]] = {}
    for system in dict.fromkeys(s.system for s in scores):
        mine = [s for s in scores if s.system == system]
        result[system] = {"overall": aggregate(mine)}
        for category in CATEGORIES:
            in_category = [s for s in mine if s.category == category]
            if in_category:
                result[system][category] = aggregate(in_category)
        for language in LANGUAGES:
            in_language = [s for s in mine if s.language == language]
            if in_language:
                result[system][f"language:{language}"] = aggregate(in_language)
    return result


def outcomes(scores: list[Score]) -> dict[str, int]:
    """How many cases were right, wrong (answered, not right), refused when they should not be, and crashed."""
    return {
        "cases": len(scores),
        "right": sum(s.correct for s in scores),
        "wrong": sum(s.wrong for s in scores),
        "refused": sum(s.refused and not s.correct for s in scores),
        "crashed": sum(bool(s.crashed) for s in scores),
    }


def outcome_table(scores: list[Score], system: str) -> list[str]:
    """Markdown rows: right / wrong / refused / crashed overall, per category and per question language."""
    mine = [s for s in scores if s.system == system]
    groups: list[tuple[str, list[Score]]] = [("overall", mine)]
    groups += [(c, [s for s in mine if s.category == c]) for c in CATEGORIES]
    groups += [(f"language {lang}", [s for s in mine if s.language == lang]) for lang in LANGUAGES]
    lines = ["| group | cases | right | wrong | refused | crashed | accuracy | wrong among answered |"]
    lines.append("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, group in groups:
        if not group:
            continue
        o = outcomes(group)
        answered = sum(s.answered for s in group)
        share = f"{o['wrong'] / answered:.3f}" if answered else "–"
        row = [name, o["cases"], o["right"], o["wrong"], o["refused"], o["crashed"], f"{o['right'] / o['cases']:.3f}"]
        lines.append("| " + " | ".join(str(x) for x in row) + f" | {share} |")
    return lines


def _cell(value: float | None, metric: str) -> str:
    if value is None:
        return "–"
    if metric in ("percent_confusions", "unsupported_figures", "cases", "figures_removed", "fallbacks", "crashes"):
        return f"{value:.0f}"
    if metric.endswith("_ms"):
        return f"{value:.0f}"
    return f"{value:.3f}"


def markdown(summary: dict[str, Any], scores: list[Score], ours: str) -> str:
    """The report: ours vs each baseline overall, ours per category, and ours' failing cases with why."""
    systems = list(summary)
    lines = [
        "# Eval report",
        "",
        f"{int(summary[ours]['overall']['cases'])} cases. `{ours}` is the shipped system.",
        "",
    ]
    lines += ["| metric | " + " | ".join(systems) + " |", "|---|" + "---:|" * len(systems)]
    for metric, (description, _) in METRICS.items():
        cells = [_cell(summary[s]["overall"].get(metric), metric) for s in systems]
        lines.append(f"| {metric} ({description}) | " + " | ".join(cells) + " |")
    lines += ["", f"## `{ours}`: right, wrong, refused, crashed", "", *outcome_table(scores, ours)]
    categories = [c for c in CATEGORIES if c in summary[ours]]
    lines += ["", f"## `{ours}` per category", "", "| metric | " + " | ".join(categories) + " |"]
    lines.append("|---|" + "---:|" * len(categories))
    for metric in ("cases", *METRICS):
        if metric.startswith("latency_"):
            continue
        cells = [_cell(summary[ours][c].get(metric), metric) for c in categories]
        lines.append(f"| {metric} | " + " | ".join(cells) + " |")
    failing = [s for s in scores if s.system == ours and not s.correct]
    lines += ["", f"## `{ours}` failing cases ({len(failing)})", ""]
    lines += [f"- `{s.case_id}` ({s.category}): {s.why()}" for s in failing] or ["None."]
    return "\n".join(lines) + "\n"


def plot(summary: dict[str, Any], path: Path) -> None:
    """Grouped bars of the 0–1 metrics, one bar per system."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    counts = ("percent_confusions", "unsupported_figures", "figures_removed", "fallbacks", "crashes")
    metrics = [m for m in METRICS if m not in counts and not m.startswith("latency_")]
    systems = list(summary)
    width = 0.8 / len(systems)
    fig, ax = plt.subplots(figsize=(13, 4.8))
    for i, system in enumerate(systems):
        values = [summary[system]["overall"].get(m) or 0.0 for m in metrics]
        ax.bar([x + i * width for x in range(len(metrics))], values, width, label=system)
    ax.set_xticks([x + width * (len(systems) - 1) / 2 for x in range(len(metrics))], metrics, rotation=25)
    ax.set_ylim(0, 1.05)
    ax.set_title("Ours vs baselines (overall; false_refusal: lower is better)")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def dump(summary: dict[str, Any], scores: list[Score], path: Path) -> None:
    """Everything as JSON: the summary and every case's score."""
    from dataclasses import asdict

    rows = [asdict(s) | {"correct": s.correct, "why": s.why()} for s in scores]
    path.write_text(json.dumps({"summary": summary, "cases": rows}, ensure_ascii=False, indent=1), encoding="utf-8")


def gate(summary: dict[str, Any], thresholds_path: Path, system: str) -> list[str]:
    """Metrics of ``system`` below their floor (or above their ceiling) in ``thresholds.yaml``."""
    limits = yaml.safe_load(thresholds_path.read_text(encoding="utf-8")) or {}
    overall = summary[system]["overall"]
    problems = []
    for metric, floor in (limits.get("min") or {}).items():
        value = overall.get(metric)
        if value is None or value < floor:
            problems.append(f"{metric} = {_cell(value, metric)} is below {floor}")
    for metric, ceiling in (limits.get("max") or {}).items():
        value = overall.get(metric)
        if value is None or value > ceiling:
            problems.append(f"{metric} = {_cell(value, metric)} is above {ceiling}")
    return problems
