#!/usr/bin/env python3
"""Loading a data file: baifs beside pandas.read_csv on the same CSV, and .npy and IDX against the disk.

Writes an MNIST-sized table once (60,000 rows: a `label` column and 784 `pixel` columns of integers
0-255, about four in five of them 0, as MNIST's pixels are), the same table as CSV with every cell
(header included) in double quotes, the same values as .npy arrays and as IDX files, then times,
each in a fresh process so that peak memory is the load's own:

  - pandas.read_csv(FILE)                                   (pandas from PyPI, for the comparison only)
  - baifs-bench --load FILE                                 (CSVDataset: read, 80/20 seeded split)
                                                            (both for the plain and the quoted CSV)
  - baifs-bench --load features.npy --labels labels.npy     (ArrayDataset from NumPy files)
  - baifs-bench --load images-idx3 --labels labels-idx1     (ArrayDataset from IDX files)
  - reading the file's bytes (the disk speed, from the page cache after the first read)
  - numpy.load(FILE).astype(numpy.float64) for the .npy file: the cost of decoding into doubles

Runs are interleaved (baifs, then pandas, then baifs, ...) so that a busy machine slows both alike.
It prints, per command, the median over --repeat runs of the wall time and of the CPU time (user +
system, from the child's resource usage, which other processes on the machine disturb less), and
peak resident memory against the decoded values (rows x features x 8 bytes). Needs numpy and pandas (pip install numpy pandas) and a release build:

    swift build -c release --product baifs-bench
    python3 benchmarks/loading.py [--rows 60000] [--repeat 3] [--folder DIR] [--markdown]
"""
import argparse
import json
import os
import resource
import statistics
import struct
import subprocess
import sys
import tempfile
import time

PANDAS = """
import json, resource, sys, time
import pandas
start = time.perf_counter()
frame = pandas.read_csv(sys.argv[1])
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "shape": list(frame.shape)}))
"""

NUMPY = """
import json, sys, time
import numpy
start = time.perf_counter()
values = numpy.load(sys.argv[1]).astype(numpy.float64)
print(json.dumps({"seconds": time.perf_counter() - start}))
"""

READ = """
import json, resource, sys, time
start = time.perf_counter()
with open(sys.argv[1], "rb") as file:
    size = len(file.read())
print(json.dumps({"seconds": time.perf_counter() - start, "bytes": size}))
"""


def write_files(folder, rows, columns):
    import csv
    import numpy as np
    import pandas
    paths = {name: os.path.join(folder, name) for name in
             ["mnist.csv", "mnist-quoted.csv", "features.npy", "labels.npy", "images-idx3-ubyte", "labels-idx1-ubyte"]}
    if all(os.path.exists(path) for path in paths.values()):
        return paths
    generator = np.random.RandomState(0)
    pixels = generator.randint(1, 256, size=(rows, columns - 1)).astype(np.uint8)
    pixels[generator.random_sample(size=pixels.shape) < 0.8] = 0
    labels = generator.randint(0, 10, size=rows).astype(np.uint8)
    frame = pandas.DataFrame(pixels, columns=[f"pixel{i}" for i in range(columns - 1)])
    frame.insert(0, "label", labels)
    frame.to_csv(paths["mnist.csv"], index=False)
    # `"label","pixel0",...` then `"7","0",...`: every cell quoted, as csv.QUOTE_ALL writes it.
    frame.to_csv(paths["mnist-quoted.csv"], index=False, quoting=csv.QUOTE_ALL)
    np.save(paths["features.npy"], pixels)
    np.save(paths["labels.npy"], labels)
    side = int(round((columns - 1) ** 0.5))
    shape = [rows, side, side] if side * side == columns - 1 else [rows, columns - 1]
    with open(paths["images-idx3-ubyte"], "wb") as file:
        file.write(bytes([0, 0, 8, len(shape)]) + b"".join(struct.pack(">I", n) for n in shape) + pixels.tobytes())
    with open(paths["labels-idx1-ubyte"], "wb") as file:
        file.write(bytes([0, 0, 8, 1]) + struct.pack(">I", rows) + labels.tobytes())
    return paths


def run_json(command):
    """Runs `command`; returns its last output line as JSON, with its wall and CPU seconds."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = json.loads(output.strip().splitlines()[-1])
    result["process_cpu"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    result["process_wall"] = wall
    return result


def interleaved(repeat, commands):
    """Runs each command `repeat` times, round-robin; per command the median of its own timing
    ("seconds", measured inside the process, start-up excluded), the median CPU seconds of the
    whole process, and the largest peak memory."""
    results = {name: [] for name in commands}
    for _ in range(repeat):
        for name, command in commands.items():
            results[name].append(run_json(command))
    return {name: {"seconds": statistics.median(r["seconds"] for r in runs),
                   "cpu": statistics.median(r["process_cpu"] for r in runs),
                   "peak_rss_mb": max(r.get("peak_rss_mb", 0) for r in runs), "last": runs[-1]}
            for name, runs in results.items()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=60000)
    parser.add_argument("--columns", type=int, default=785)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--folder", help="where the data files are written (kept; default: a temporary folder)")
    parser.add_argument("--baifs-bench", default=".build/release/baifs-bench")
    parser.add_argument("--markdown", action="store_true")
    arguments = parser.parse_args()

    folder = arguments.folder or tempfile.mkdtemp(prefix="baifs-loading-")
    os.makedirs(folder, exist_ok=True)
    paths = write_files(folder, arguments.rows, arguments.columns)
    bench = arguments.baifs_bench
    repeat = arguments.repeat

    startups = interleaved(repeat, {module: [sys.executable, "-c", f"import json, {module}; print(json.dumps({{'seconds': 0}}))"]
                                    for module in ["pandas", "numpy"]})
    cases = [
        ("CSV", paths["mnist.csv"], [bench, "--load", paths["mnist.csv"], "--target", "label"]),
        ("CSV, quoted", paths["mnist-quoted.csv"], [bench, "--load", paths["mnist-quoted.csv"], "--target", "label"]),
        (".npy", paths["features.npy"], [bench, "--load", paths["features.npy"], "--labels", paths["labels.npy"]]),
        ("IDX", paths["images-idx3-ubyte"], [bench, "--load", paths["images-idx3-ubyte"], "--labels", paths["labels-idx1-ubyte"]]),
    ]
    rows = []
    for name, path, baifs_command in cases:
        commands = {"disk": [sys.executable, "-c", READ, path], "baifs": baifs_command}
        if name.startswith("CSV"):
            commands["reference"] = [sys.executable, "-c", PANDAS, path]
        elif name == ".npy":
            commands["reference"] = [sys.executable, "-c", NUMPY, path]
        results = interleaved(repeat, commands)
        baifs, reference = results["baifs"], results.get("reference")
        rows.append([name, f"{results['disk']['last']['bytes'] / 2**20:.1f}", f"{results['disk']['seconds']:.3f}",
                     f"{baifs['seconds']:.3f}", f"{baifs['cpu']:.2f}", f"{baifs['peak_rss_mb']:.0f}",
                     f"{baifs['last']['decoded_mb']:.0f}", f"{baifs['peak_rss_mb'] - baifs['last']['decoded_mb']:.0f}",
                     ("pandas.read_csv" if name.startswith("CSV") else "numpy.load + astype") if reference else "-",
                     f"{reference['seconds']:.3f}" if reference else "-",
                     f"{reference['cpu'] - startups['pandas' if name.startswith('CSV') else 'numpy']['cpu']:.2f}" if reference else "-",
                     f"{reference['peak_rss_mb']:.0f}" if reference and reference["peak_rss_mb"] else "-"])

    header = ["file", "size MB", "read bytes s", "baifs s", "baifs CPU s", "baifs peak MB", "decoded MB", "peak − decoded MB",
              "reference", "reference s", "reference CPU s", "reference peak MB"]
    if arguments.markdown:
        print("| " + " | ".join(header) + " |")
        print("|" + "---|" * len(header))
        for line in rows:
            print("| " + " | ".join(line) + " |")
    else:
        widths = [max(len(header[i]), *(len(line[i]) for line in rows)) for i in range(len(header))]
        print("  ".join(h.rjust(w) for h, w in zip(header, widths)))
        for line in rows:
            print("  ".join(c.rjust(w) for c, w in zip(line, widths)))
    print(f"\nbaifs s and reference s: the load alone, timed inside the process; CPU s: the whole process"
          f" (reference CPU less Python's start-up with pandas or numpy imported: {startups['pandas']['cpu']:.2f} s,"
          f" {startups['numpy']['cpu']:.2f} s).")
    print(f"\n{arguments.rows} rows x {arguments.columns} columns; median of {repeat} runs; files in {folder}")


if __name__ == "__main__":
    main()
