"""The facts explorer's page: a chart of a company's stated figures over time and the table of the same rows.

Pure functions of :class:`~assistant.explorer.FactRow` lists (no Gradio import). The chart is an SVG drawn by
matplotlib (offline, no CDN) with one series per metric and unit; each point is a link to its table row
(``#fact-N``), where the source, date and quoted sentence are; conflicting values are drawn side by side with their
own marker. Nothing is computed: every point is a figure a source states.
"""

from __future__ import annotations

import html
import io
import re
import warnings
from collections.abc import Sequence
from decimal import Decimal

from assistant.answer.operands import period_key, period_text
from assistant.entities import Registry
from assistant.explorer import FactRow

# Scale of a series' axis: yuan and dollars in 亿 / billions read better than raw units.
_HUNDRED_MILLION = Decimal(100_000_000)

CSS = """
.ga-facts table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
.ga-facts th, .ga-facts td { border-bottom: 1px solid var(--border-color-primary); padding: 0.3rem 0.4rem;
  text-align: left; vertical-align: top; }
.ga-facts tr:target { background: #fff4c2; color: #111; }
.ga-facts tr:target .ga-fact-quote { display: block; }
.ga-fact-quote { color: var(--body-text-color); font-size: 0.85rem; margin-top: 0.2rem; }
.ga-fact-conflict { color: #8a1c1c; font-weight: 700; }
.ga-chart svg { max-width: 100%; height: auto; }
"""


def series_of(rows: Sequence[FactRow]) -> dict[str, list[tuple[int, FactRow]]]:
    """The rows by chart series (metric and unit), each with its row number, periods in order."""
    series: dict[str, list[tuple[int, FactRow]]] = {}
    for n, row in enumerate(rows, start=1):
        series.setdefault(row.series, []).append((n, row))
    return series


def chart_svg(rows: Sequence[FactRow], zh: bool = False) -> str:
    """One small chart per series (stacked), each point linking to ``#fact-N``; '' when there is nothing to draw."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    matplotlib.rcParams["svg.fonttype"] = "none"  # text stays text: the browser's fonts draw Chinese
    groups = series_of(rows)
    if not groups:
        return ""
    fig, axes = plt.subplots(len(groups), 1, figsize=(7.5, 2.4 * len(groups)), squeeze=False)
    for ax, (name, points) in zip(axes[:, 0], groups.items(), strict=True):
        periods = sorted({r.period for _, r in points}, key=period_key)
        x_of = {p: i for i, p in enumerate(periods)}
        scale, unit = _scale(points[0][1])
        for conflict in (False, True):
            chosen = [(n, r) for n, r in points if r.conflict == conflict]
            if not chosen:
                continue
            xs = [x_of[r.period] + _offset(r, points) for _, r in chosen]
            ys = [float(r.value / scale) for _, r in chosen]
            dots = ax.scatter(
                xs,
                ys,
                s=46,
                marker="D" if conflict else "o",
                color="#b3261e" if conflict else "#1f5fbf",
                label=("来源不一致" if zh else "sources disagree") if conflict else ("来源所述" if zh else "stated"),
                zorder=3,
            )
            dots.set_urls([f"#fact-{n}" for n, _ in chosen])
        ax.set_xticks(range(len(periods)), [period_text(p, zh) for p in periods], fontsize=8)
        ax.set_title(f"{name}{f' · {unit}' if unit else ''}", fontsize=9, loc="left")
        ax.grid(axis="y", color="#dddddd", linewidth=0.6)
        ax.margins(x=0.15, y=0.2)
        ax.legend(fontsize=7, loc="best")
    out = io.StringIO()
    with warnings.catch_warnings():  # Chinese labels stay text (svg.fonttype none): the browser has the glyphs
        warnings.filterwarnings("ignore", message="Glyph .* missing from font")
        fig.tight_layout()
        fig.savefig(out, format="svg")
    plt.close(fig)
    svg = out.getvalue()
    svg = svg.replace('xlink:href="#fact-', 'href="#fact-').replace(' target="_blank"', "")  # in-page links
    svg = re.sub(r'<a href="#fact-(\d+)">', lambda m: _named_link(int(m.group(1)), rows, zh), svg)
    return svg[svg.index("<svg") :]


def _named_link(n: int, rows: Sequence[FactRow], zh: bool) -> str:
    """A chart point's link, named for screen readers: metric, period, figure and source."""
    row = rows[n - 1]
    figure = row.stated if zh else row.english()
    label = f"{row.metric} {period_text(row.period, zh)}: {figure} ({row.publisher or row.source_id})"
    return f'<a href="#fact-{n}" aria-label="{html.escape(label)}">'


def _scale(row: FactRow) -> tuple[Decimal, str]:
    """Sums of money are drawn in 亿 (hundred millions) of their currency; other units as stated."""
    if row.quantity.currency:
        return _HUNDRED_MILLION, f"亿 {row.quantity.currency} (100 million)"
    return Decimal(1), row.quantity.unit


def _offset(row: FactRow, points: list[tuple[int, FactRow]]) -> float:
    """Values of one period from several sources sit side by side, not on top of each other."""
    same = [r for _, r in points if r.period == row.period]
    if len(same) < 2:
        return 0.0
    distinct = sorted({r.value for r in same})
    return (distinct.index(row.value) - (len(distinct) - 1) / 2) * 0.12


def table_html(rows: Sequence[FactRow], zh: bool = False) -> str:
    """The same rows as a table: metric, period, the figure as stated, source and date; each row holds its quote."""
    if not rows:
        return ""
    head = ("指标", "期间", "数字", "来源", "日期") if zh else ("Metric", "Period", "Figure", "Source", "Date")
    lines = ["<table><thead><tr>" + "".join(f"<th>{h}</th>" for h in head) + "</tr></thead><tbody>"]
    for n, row in enumerate(rows, start=1):
        figure = html.escape(row.stated if zh else row.english())
        if row.conflict:
            note = ("优先" if zh else "preferred") if row.preferred else ("不一致" if zh else "disagrees")
            figure += f' <span class="ga-fact-conflict">({note})</span>'
        source = _source(row)
        quote = f'<div class="ga-fact-quote">“{html.escape(row.quote)}”</div>'
        lines.append(
            f'<tr id="fact-{n}"><td>{html.escape(row.metric)}</td><td>{html.escape(period_text(row.period, zh))}</td>'
            f"<td>{figure}{quote}</td><td>{source}</td><td>{html.escape(row.published)}</td></tr>"
        )
    lines.append("</tbody></table>")
    return "".join(lines)


def facts_html(rows: Sequence[FactRow], company: str, zh: bool = False) -> str:
    """The whole explorer pane for one company: a note on what is shown, the chart, then the table."""
    if not rows:
        empty = "语料中没有这家公司的这些数字。" if zh else "The corpus states none of these figures for this company."
        return f'<div class="ga-facts"><p>{html.escape(empty)}</p></div>'
    note = (
        f"{html.escape(company)}：来源所述的数字，点图中的点可查看来源和原句；红色菱形表示来源之间不一致。"
        if zh
        else f"{html.escape(company)}: figures as the sources state them. Click a point for its source and sentence; "
        "red diamonds mark values the sources disagree on."
    )
    return (
        f'<div class="ga-facts"><p>{note}</p><div class="ga-chart">{chart_svg(rows, zh)}</div>'
        f"{table_html(rows, zh)}</div>"
    )


def comparison_html(rows: Sequence[FactRow], registry: Registry, zh: bool = False) -> str:
    """One metric for one period, a row per company that states it: the figure, the source and its sentence."""
    if not rows:
        return (
            '<div class="ga-facts"><p>' + ("语料中没有这个期间的数字。" if zh else "No company has it.") + "</p></div>"
        )
    head = ("公司", "数字", "来源", "日期") if zh else ("Company", "Figure", "Source", "Date")
    lines = ['<div class="ga-facts"><table><thead><tr>' + "".join(f"<th>{h}</th>" for h in head) + "</tr></thead>"]
    for row in rows:
        company = registry.companies[row.company]
        name = html.escape(company.name_zh if zh else company.name_en)
        quote = f'<div class="ga-fact-quote">“{html.escape(row.quote)}”</div>'
        figure = html.escape(row.stated if zh else row.english())
        lines.append(
            f"<tr><td>{name}</td><td>{figure}{quote}</td><td>{_source(row)}</td><td>{html.escape(row.published)}</td></tr>"
        )
    lines.append("</table></div>")
    return "".join(lines)


def _source(row: FactRow) -> str:
    source = html.escape(row.publisher or row.source_id)
    if row.url.startswith(("http://", "https://")):
        return f'<a href="{html.escape(row.url)}" target="_blank" rel="noopener noreferrer">{source}</a>'
    return source
