#!/usr/bin/env python3
"""The share of a whole small run spent writing its files (issue 14, goal 2), measured by perf.

Runs `baifs-run` RUNS times on benchmarks/whole_run.py's experiment (MLP 64→32→10, 20 epochs) under
`perf record -g`, each into a fresh output folder under --folder (tmpfs such as /dev/shm leaves out
the file system's own cost of creating folders), then counts the samples whose call stack holds
one of the run's writers (RunSession's flush, epoch files, summary and timing, RunDirectory's
creation and writes, the TensorBoard events file, atomic and appending files, and the mkdir, rename
and write system calls, which only writing the run's files makes) against all samples of the baifs-run processes.
Needs `perf` (Debian's linux-perf) and a release build.

    python3 benchmarks/bookkeeping.py --baifs-run .build/release/baifs-run [--runs 40] [--folder /dev/shm/bookkeeping]
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import whole_run  # noqa: E402

# The run's writers, and (since the compiler may inline a writer into its caller, taking its name
# out of the stack) the system calls that only writing a run's files makes: mkdir, rename, write.
WRITERS = re.compile(r"RunSession.*(flush|writeEpochFiles|writeSummary|writeTiming|writeTensorBoard|writeInitial)"
                     r"|RunDirectory.*(create|write)|TensorBoardEventFile|AtomicFile|AppendingFile"
                     r"|FileManager.*createDirectory|^__GI___mkdir|^rename|^__GI___libc_write|^__libc_write")
PARTS = {"checkpoints": re.compile(r"Checkpoint.*write"), "curves.svg": re.compile(r"writeCurves"),
         "per-epoch rows": re.compile(r"writeEpochFiles"), "mkdir (kernel)": re.compile(r"__GI___mkdir")}


def stacks(data: Path):
    """The call stacks (innermost frame first) of the baifs-run samples in `data`."""
    output = subprocess.run(["perf", "script", "-i", str(data), "--comm", "baifs-run", "-F", "comm,ip,sym"],
                            capture_output=True, text=True, check=True).stdout
    current = None
    for line in output.splitlines():
        if not line.startswith((" ", "\t")):
            if current:
                yield current
            current = [] if line.strip() else None
        elif current is not None:
            parts = line.split(None, 1)
            current.append(parts[1] if len(parts) > 1 else "?")
    if current:
        yield current


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baifs-run", default=".build/release/baifs-run")
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--folder", default="/dev/shm/baifs-bookkeeping")
    args = parser.parse_args()
    folder = Path(args.folder)
    folder.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="runs-", dir=folder))
    try:
        config = whole_run.write_inputs(work, 20)
        executable = os.path.abspath(args.baifs_run)
        loop = "; ".join(f"{executable} {config} --out {work / 'runs'} --quiet --threads 1 > /dev/null"
                         for index in range(args.runs))
        data = work / "perf.data"
        subprocess.run(["perf", "record", "-q", "-F", "10000", "-g", "-o", str(data), "--", "bash", "-c", loop],
                       check=True, stderr=subprocess.DEVNULL)
        samples = list(stacks(data))
        share = lambda pattern: 100 * sum(any(pattern.search(frame) for frame in stack) for stack in samples) / len(samples)
        print(f"{len(samples)} samples of {args.runs} runs in {folder}: writing the run's files {share(WRITERS):.2f}%")
        for name, pattern in PARTS.items():
            print(f"  {name}: {share(pattern):.2f}%")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
