#!/usr/bin/env python3
"""Two threads against one on whole trainings (issue 14, goal 3), idle or beside a competitor.

Runs `baifs-bench --training --json` alternately with --threads 1 and --threads 2, REPEATS times
each, and prints per workload the least and the median ms per epoch of each and their ratios
(time with 1 thread ÷ time with 2; above 1: two threads are faster). With --competitor, a
CPU-bound Python loop runs beside it the whole time, as another process sharing the cores.

    python3 benchmarks/threads.py --baifs-bench .build/release/baifs-bench [--repeats 7] [--competitor]
"""
import argparse
import json
import statistics
import subprocess
import sys


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baifs-bench", default=".build/release/baifs-bench")
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--competitor", action="store_true", help="run a CPU-bound loop beside it")
    args = parser.parse_args()
    competitor = subprocess.Popen([sys.executable, "-c", "while True: pass"]) if args.competitor else None
    try:
        times = {1: {}, 2: {}}
        for _ in range(args.repeats):
            for threads in (1, 2):
                output = subprocess.run([args.baifs_bench, "--training", "--json", "--threads", str(threads)],
                                        capture_output=True, text=True, check=True).stdout
                for workload, figures in json.loads(output).items():
                    if workload != "_meta":
                        times[threads].setdefault(workload, []).append(figures["ms_per_epoch"])
    finally:
        if competitor:
            competitor.kill()
    print("| workload | 1 thread ms/epoch | 2 threads | 1 ÷ 2, least | 1 ÷ 2, median |")
    print("|---|---:|---:|---:|---:|")
    for workload, one in times[1].items():
        two = times[2][workload]
        print(f"| {workload} | {min(one):.2f} | {min(two):.2f} | {min(one) / min(two):.2f} | "
              f"{statistics.median(one) / statistics.median(two):.2f} |")


if __name__ == "__main__":
    main()
