"""Warm ``ask`` latency over many questions and cold ``gpu-assistant ask`` wall time (prints figures, asserts nothing).

Usage: python benchmarks/ask_latency.py [STORE]   (the store is built from corpus/ if empty)
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

from assistant import Assistant, Settings

COMPANIES = [
    "壁仞科技",
    "摩尔线程",
    "沐曦股份",
    "寒武纪",
    "海光信息",
    "天数智芯",
    "燧原科技",
    "Biren",
    "Cambricon",
    "MetaX",
]
TEMPLATES = [
    "{c}2024年营收是多少？",
    "{c}的发行价是多少？",
    "{c}2024年净亏损多少？",
    "What was {c}'s revenue in 2024?",
    "{c}什么时候上市？",
    "{c}的在手订单有多少？",
]


def main() -> None:
    store = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(".assistant")
    started = time.perf_counter()
    assistant = Assistant(Settings(store=store))
    report = assistant.ensure_index()
    if report is not None:
        print(f"ingest: {report.summary()}")
    print(f"open + index check: {(time.perf_counter() - started) * 1000:.0f} ms")
    questions = [t.format(c=c) for c in COMPANIES for t in TEMPLATES]
    assistant.ask(questions[0])  # warm-up: jieba dictionary, BM25 load
    latencies = []
    refused = 0
    for question in questions:
        t0 = time.perf_counter()
        answer = assistant.ask(question)
        latencies.append((time.perf_counter() - t0) * 1000)
        refused += answer.refused
    latencies.sort()
    p95 = latencies[int(0.95 * (len(latencies) - 1))]
    print(
        f"warm ask over {len(questions)} questions: p50 {statistics.median(latencies):.1f} ms, p95 {p95:.1f} ms, "
        f"max {latencies[-1]:.1f} ms; refused {refused}"
    )
    t0 = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "assistant.cli", "ask", "壁仞科技IPO计划募资多少？", "--store", str(store)],
        check=True,
        capture_output=True,
    )
    print(f"cold `gpu-assistant ask` (fresh process): {(time.perf_counter() - t0):.2f} s")


if __name__ == "__main__":
    main()
