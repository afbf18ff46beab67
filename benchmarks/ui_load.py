"""Load check of the chat UI: concurrent ``gradio_client`` users over the shipped corpus (prints figures only).

Serves ``create_app`` on a free loopback port, then USERS clients each ask QUESTIONS questions through ``/chat`` at
once, while a probe loads the page every half second (is the UI still responsive?). The baseline is
``Assistant.ask`` on the same questions, one after another, in the same process and run, after a first pass that
warms the caches (the UI run repeats each question USERS times, so it runs warm too).

Usage: python benchmarks/ui_load.py [STORE] [--users 8] [--questions 20]   (STORE is built from corpus/ if empty)
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
from gradio_client import Client

from assistant import Assistant, Settings
from assistant.ui import create_app
from assistant.ui.app import APOLOGY, CONCURRENCY

QUESTIONS = [
    "壁仞研发支出是营收的几倍？",
    "摩尔线程2024年净亏损是多少？",
    "2024年壁仞和沐曦谁的收入更多？各是多少？",
    "How much did Cambricon's revenue grow in 2024?",
    "登临科技最新一轮融资后估值多少？",
    "按2025年上半年的亏损速度，壁仞这次IPO募资能撑多久？按1港元兑0.92元人民币计算",
    "壁仞科技IPO计划募资多少？",
    "沐曦股份的在手订单有多少？",
    "What was Moore Threads' net loss in 2024?",
    "寒武纪2024年营收是多少？",
    "海光信息2024年营收是多少？",
    "摩尔线程的发行价是多少？",
    "What was MetaX's revenue in 2024?",
    "燧原科技什么时候上市？",
    "天数智芯2024年净亏损多少？",
    "What is Biren's IPO offer price?",
    "壁仞科技2024年净亏损多少？",
    "沐曦股份2024年营收是多少？",
    "Cambricon net loss 2024?",
    "壁仞科技什么时候上市？",
]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[round(q * (len(ordered) - 1))]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def baseline(assistant: Assistant, questions: list[str]) -> list[float]:
    """Seconds per ``Assistant.ask``, one question after another."""
    latencies = []
    for question in questions:
        started = time.perf_counter()
        assistant.ask(question)
        latencies.append(time.perf_counter() - started)
    return latencies


def user(url: str, questions: list[str]) -> tuple[list[float], int]:
    """One client asking its questions in turn: seconds per answer, and how many failed."""
    client = Client(url, analytics_enabled=False, verbose=False)
    latencies, errors = [], 0
    for question in questions:
        started = time.perf_counter()
        try:
            messages, _sources = client.predict(question, api_name="/chat")
            errors += messages == APOLOGY
        except Exception as exc:  # counted and shown, the run goes on
            print(f"error: {type(exc).__name__}: {exc}")
            errors += 1
        latencies.append(time.perf_counter() - started)
    return latencies, errors


def probe(url: str, stop: threading.Event, out: list[float]) -> None:
    """Load the page every half second until ``stop``; seconds per page load (inf when it failed)."""
    with httpx.Client(timeout=30) as http:
        while not stop.is_set():
            started = time.perf_counter()
            try:
                ok = http.get(url).status_code == 200
            except httpx.HTTPError:
                ok = False
            out.append(time.perf_counter() - started if ok else float("inf"))
            stop.wait(0.5)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("store", nargs="?", type=Path, default=Path(".assistant"))
    parser.add_argument("--users", type=int, default=8)
    parser.add_argument("--questions", type=int, default=20)
    args = parser.parse_args()
    os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"

    assistant = Assistant(Settings(store=args.store))
    report = assistant.ensure_index()
    if report is not None:
        print(f"ingest: {report.summary()}")
    asked = [QUESTIONS[i % len(QUESTIONS)] for i in range(args.questions)]
    cold = baseline(assistant, asked)  # first pass: jieba dictionary, BM25 load, Chroma's caches
    direct = baseline(assistant, asked)

    demo = create_app(assistant)
    demo.launch(server_name="127.0.0.1", server_port=free_port(), prevent_thread_lock=True, quiet=True)
    url = str(demo.local_url)
    pages: list[float] = []
    stop = threading.Event()
    prober = threading.Thread(target=probe, args=(url, stop, pages), daemon=True)
    try:
        prober.start()
        started = time.perf_counter()
        with ThreadPoolExecutor(args.users) as pool:
            rotations = [asked[i:] + asked[:i] for i in range(args.users)]
            results = list(pool.map(lambda qs: user(url, qs), rotations))
        wall = time.perf_counter() - started
    finally:
        stop.set()
        prober.join()
        demo.close()

    latencies = [s for lat, _ in results for s in lat]
    errors = sum(e for _, e in results)
    total = len(latencies)
    p50, p95 = statistics.median(latencies), percentile(latencies, 0.95)
    d50, d95 = statistics.median(direct), percentile(direct, 0.95)
    print(f"{args.users} users × {args.questions} questions = {total} answers through /chat in {wall:.1f} s")
    worst = max(latencies) * 1000
    print(f"errors {errors}; UI latency p50 {p50 * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, max {worst:.0f} ms")
    print(f"throughput {total / wall:.2f} answers/s (queue concurrency {CONCURRENCY})")
    print(f"baseline Assistant.ask, first pass: p50 {statistics.median(cold) * 1000:.0f} ms (not compared)")
    print(f"baseline Assistant.ask, warm, one at a time: p50 {d50 * 1000:.0f} ms, p95 {d95 * 1000:.0f} ms")
    print(f"ratio UI/baseline: p50 {p50 / d50:.1f}×, p95 {p95 / d95:.1f}×")
    print(f"serial-equivalent ratio: wall ÷ ({total} × baseline mean) = {wall / (total * statistics.mean(direct)):.2f}")
    if pages:
        print(
            f"page loads during the run: {len(pages)}, p50 {statistics.median(pages) * 1000:.0f} ms, "
            f"p95 {percentile(pages, 0.95) * 1000:.0f} ms, failed {sum(p == float('inf') for p in pages)}"
        )


if __name__ == "__main__":
    main()
