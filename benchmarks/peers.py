#!/usr/bin/env python3
"""Time the BENCHMARKS.md workloads in PyTorch and micrograd next to baifs's own benchmark.

The four workloads (see /work/shared/BENCHMARKS.md and Sources/baifs-bench/Workload.swift):

  toy-mlp/b1   MLP 2→16→16→1, tanh hidden, linear output, batch 1,  SGD lr 0.05
  toy-mlp/b16  the same, batch 16
  mlp-64       MLP 64→32→10, ReLU hidden, batch 32, SGD lr 0.1
  cnn-8x8      1×8×8 input; Conv2D 1→4 3×3 pad 1, ReLU; residual block
               h = ReLU(h + Conv(ReLU(Conv(h)))) with two 4→4 3×3 pad-1 convolutions;
               flatten (C,H,W); Linear 256→10; batch 16, SGD lr 0.05, global-norm clipping at 1.0

One training step = zero the gradients, forward over the batch, MSE loss (mean over all
batch×output elements), backward, gradient clipping (cnn-8x8 only), SGD update. Weights and biases
start uniform in ±1/√fan_in; inputs and targets are uniform in [-1, 1] (speed does not depend on the
values). Every peer starts from the same weights and data, drawn here in pure Python, and a
check (skip it with --no-check) confirms that PyTorch float64 and micrograd give the same losses
step by step; the script exits with status 1 if they do not.

Timing is baifs's (Sources/baifs-bench/Timing.swift): a warm-up that doubles the number of calls
until one block lasts a quarter of the block time, then `blocks` timed blocks of ~0.15 s each;
the figure is the median µs per step over the blocks. micrograd on mlp-64 and cnn-8x8 takes
seconds per step, so there each block is one step and only `--slow-blocks` (default 3) blocks are
timed; `--skip-slow` leaves those two out.

Each peer runs in its own Python process (this script, re-run with `--worker`), so that PyTorch's
thread settings are made before it is imported (OMP_NUM_THREADS) and each peer's peak memory is
its own. Only the standard library is needed here; torch and micrograd are optional.

    python3 benchmarks/peers.py                       # builds and runs baifs-bench with swift run
    python3 benchmarks/peers.py --baifs-bench .build/release/baifs-bench --markdown
    python3 benchmarks/peers.py --baifs-json baifs.json --skip-slow --json
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import json
import math
import os
import platform
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent
INSTALL_HINT = "pip install torch micrograd"

WORKLOADS: dict[str, dict] = {
    "toy-mlp/b1": {"kind": "mlp", "sizes": [2, 16, 16, 1], "activation": "tanh", "batch": 1,
                   "learning_rate": 0.05, "clip_norm": None},
    "toy-mlp/b16": {"kind": "mlp", "sizes": [2, 16, 16, 1], "activation": "tanh", "batch": 16,
                    "learning_rate": 0.05, "clip_norm": None},
    "mlp-64": {"kind": "mlp", "sizes": [64, 32, 10], "activation": "relu", "batch": 32,
               "learning_rate": 0.1, "clip_norm": None},
    "cnn-8x8": {"kind": "cnn", "channels": 4, "side": 8, "outputs": 10, "batch": 16,
                "learning_rate": 0.05, "clip_norm": 1.0},
    # The MNIST-scale workloads of issue 14.
    "mlp-784x128": {"kind": "mlp", "sizes": [784, 128, 10], "activation": "relu", "batch": 64,
                    "learning_rate": 0.1, "clip_norm": None},
    "mlp-784x512x512": {"kind": "mlp", "sizes": [784, 512, 512, 10], "activation": "relu", "batch": 64,
                        "learning_rate": 0.1, "clip_norm": None},
    "cnn-16x16c8": {"kind": "cnn", "channels": 8, "side": 16, "outputs": 10, "batch": 32,
                    "learning_rate": 0.05, "clip_norm": 1.0},
    "cnn-28x28c8": {"kind": "cnn", "channels": 8, "side": 28, "outputs": 10, "batch": 32,
                    "learning_rate": 0.05, "clip_norm": 1.0},
}
# Workloads on which a micrograd step takes seconds: few blocks of one step each, or skipped.
SLOW_FOR_MICROGRAD = {"mlp-64", "cnn-8x8"}
# Workloads on which a micrograd step takes minutes: never timed in micrograd.
TOO_SLOW_FOR_MICROGRAD = {"mlp-784x128", "mlp-784x512x512", "cnn-16x16c8", "cnn-28x28c8"}


# ----------------------------------------------------------------------------------------------
# Shared definition of the workloads: parameter shapes, initial values and data, in pure Python.

def parameter_shapes(spec: dict) -> list[tuple[int, ...]]:
    """Parameter shapes in PyTorch's order (weight, bias per layer); Linear weights are (out, in),
    convolution weights (out, in, kh, kw)."""
    if spec["kind"] == "mlp":
        sizes = spec["sizes"]
        shapes = []
        for fan_in, fan_out in zip(sizes, sizes[1:]):
            shapes += [(fan_out, fan_in), (fan_out,)]
        return shapes
    c, side, outputs = spec["channels"], spec["side"], spec["outputs"]
    return [(c, 1, 3, 3), (c,),            # stem convolution 1→C
            (c, c, 3, 3), (c,),            # residual conv1 C→C
            (c, c, 3, 3), (c,),            # residual conv2 C→C
            (outputs, c * side * side), (outputs,)]  # Linear C·H·W → outputs


def sample_shape(spec: dict) -> tuple[int, ...]:
    return (spec["sizes"][0],) if spec["kind"] == "mlp" else (1, spec["side"], spec["side"])


def output_count(spec: dict) -> int:
    return spec["sizes"][-1] if spec["kind"] == "mlp" else spec["outputs"]


def initial_state(spec: dict, seed: int = 1) -> tuple[list[list[float]], list[float], list[float]]:
    """Flat row-major parameter values (uniform ±1/√fan_in, the bias with its weight's fan-in),
    then flat inputs and targets (uniform in [-1, 1])."""
    generator = random.Random(seed)
    shapes = parameter_shapes(spec)
    values = []
    for index in range(0, len(shapes), 2):
        weight, bias = shapes[index], shapes[index + 1]
        bound = 1 / math.sqrt(math.prod(weight[1:]))
        values.append([generator.uniform(-bound, bound) for _ in range(math.prod(weight))])
        values.append([generator.uniform(-bound, bound) for _ in range(math.prod(bias))])
    batch = spec["batch"]
    inputs = [generator.uniform(-1, 1) for _ in range(batch * math.prod(sample_shape(spec)))]
    targets = [generator.uniform(-1, 1) for _ in range(batch * output_count(spec))]
    return values, inputs, targets


# ----------------------------------------------------------------------------------------------
# Timing, as Sources/baifs-bench/Timing.swift does it.

def median_microseconds(step, blocks: int = 7, block_seconds: float = 0.15) -> dict:
    """Warms up, doubling the calls until one run lasts block_seconds / 4, sizes a block to last
    about block_seconds, then times `blocks` blocks; returns µs per call (median, min, max)."""
    def elapsed(calls: int) -> float:
        start = time.perf_counter_ns()
        for _ in range(calls):
            step()
        return (time.perf_counter_ns() - start) / 1e9

    calls = 1
    while True:
        seconds = elapsed(calls)
        if seconds >= block_seconds / 4:
            calls = max(1, int(calls * block_seconds / seconds))
            break
        calls *= 2
    per_call = sorted(elapsed(calls) / calls * 1e6 for _ in range(blocks))
    return {"us_per_step": per_call[len(per_call) // 2], "min_us_per_step": per_call[0],
            "max_us_per_step": per_call[-1], "blocks": blocks, "steps_per_block": calls}


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# ----------------------------------------------------------------------------------------------
# PyTorch.

def build_torch_step(spec: dict, dtype_name: str):
    """Returns (step, parameters): step() runs one training step and returns the loss tensor."""
    import torch
    import torch.nn.functional as F
    from torch import nn

    dtype = {"float32": torch.float32, "float64": torch.float64}[dtype_name]
    if spec["kind"] == "mlp":
        sizes = spec["sizes"]
        activation = {"tanh": nn.Tanh, "relu": nn.ReLU}[spec["activation"]]
        layers: list[nn.Module] = []
        for index, (fan_in, fan_out) in enumerate(zip(sizes, sizes[1:])):
            layers.append(nn.Linear(fan_in, fan_out))
            if index < len(sizes) - 2:
                layers.append(activation())
        model = nn.Sequential(*layers)
    else:
        channels = spec["channels"]

        class ResidualBlock(nn.Module):
            def __init__(self):
                super().__init__()
                self.conv1 = nn.Conv2d(channels, channels, 3, padding=1)
                self.conv2 = nn.Conv2d(channels, channels, 3, padding=1)

            def forward(self, h):
                return F.relu(h + self.conv2(F.relu(self.conv1(h))))

        model = nn.Sequential(nn.Conv2d(1, channels, 3, padding=1), nn.ReLU(), ResidualBlock(),
                              nn.Flatten(), nn.Linear(channels * spec["side"] ** 2, spec["outputs"]))
    model = model.to(dtype)

    values, inputs, targets = initial_state(spec)
    parameters = list(model.parameters())
    shapes = parameter_shapes(spec)
    assert [tuple(p.shape) for p in parameters] == shapes, "parameter order differs from the spec"
    with torch.no_grad():
        for parameter, flat in zip(parameters, values):
            parameter.copy_(torch.tensor(flat, dtype=dtype).reshape(parameter.shape))
    x = torch.tensor(inputs, dtype=dtype).reshape((spec["batch"],) + sample_shape(spec))
    y = torch.tensor(targets, dtype=dtype).reshape(spec["batch"], output_count(spec))
    optimizer = torch.optim.SGD(parameters, lr=spec["learning_rate"])
    clip_norm = spec["clip_norm"]

    def step():
        optimizer.zero_grad()
        loss = F.mse_loss(model(x), y)  # mean over batch × outputs
        loss.backward()
        if clip_norm is not None:
            torch.nn.utils.clip_grad_norm_(parameters, clip_norm)
        optimizer.step()
        return loss

    return step, parameters


def torch_worker(names: list[str], dtype: str, threads: int, blocks: int, block_seconds: float) -> dict:
    try:
        import torch
    except Exception as error:  # ImportError, or a broken CUDA dependency
        return {"error": f"PyTorch failed to import: {type(error).__name__}: {error}"}
    torch.set_num_threads(threads)
    results = {}
    for name in names:
        progress(f"timing PyTorch {dtype} ({threads} thread{'s' if threads > 1 else ''}) {name}…")
        step, _ = build_torch_step(WORKLOADS[name], dtype)
        results[name] = median_microseconds(step, blocks, block_seconds)
    return {"version": torch.__version__, "threads": torch.get_num_threads(),
            "omp_num_threads": os.environ.get("OMP_NUM_THREADS"), "workloads": results,
            "peak_rss_mb": peak_rss_mb()}


# ----------------------------------------------------------------------------------------------
# micrograd, built from micrograd.engine.Value alone (its nn.MLP has ReLU hidden layers, no tanh
# and no convolution), in the style of its own nn module: one Value per scalar, a neuron is
# sum((w·x for w, x), b).

def value_tanh(value):
    """tanh as one Value with one backward closure, written exactly like micrograd's own relu():
    micrograd 0.1.0 on PyPI has no tanh (the lecture version's tanh is this)."""
    from micrograd.engine import Value
    t = math.tanh(value.data)
    out = Value(t, (value,), "tanh")

    def _backward():
        value.grad += (1 - t * t) * out.grad
    out._backward = _backward
    return out


def build_micrograd_step(spec: dict, values=None, inputs=None, targets=None):
    """Returns (step, parameters): step() runs one training step and returns the loss Value."""
    from micrograd.engine import Value

    if values is None:
        values, inputs, targets = initial_state(spec)
    parameters_flat = [[Value(v) for v in flat] for flat in values]
    parameters = [p for flat in parameters_flat for p in flat]
    batch, outputs = spec["batch"], output_count(spec)
    features = math.prod(sample_shape(spec))
    learning_rate, clip_norm = spec["learning_rate"], spec["clip_norm"]

    def neuron(weights, bias, xs):
        return sum((w * x for w, x in zip(weights, xs)), bias)

    def dense(weight, bias, fan_in, xs):
        return [neuron(weight[o * fan_in:(o + 1) * fan_in], bias[o], xs) for o in range(len(bias))]

    if spec["kind"] == "mlp":
        sizes = spec["sizes"]
        hidden = {"tanh": value_tanh, "relu": lambda v: v.relu()}[spec["activation"]]

        def forward(sample):
            h = sample
            for layer in range(len(sizes) - 1):
                h = dense(parameters_flat[2 * layer], parameters_flat[2 * layer + 1], sizes[layer], h)
                if layer < len(sizes) - 2:
                    h = [hidden(v) for v in h]
            return h
    else:
        channels, side = spec["channels"], spec["side"]

        def conv3x3(weight, bias, c_in, image):
            """image[c][i][j] → out[o][i][j] = b[o] + Σ w[o,c,ki,kj]·image[c][i+ki-1][j+kj-1] over
            the in-bounds terms: the zero padding contributes no term (and no graph node)."""
            out = []
            for o in range(len(bias)):
                plane = []
                for i in range(side):
                    row = []
                    for j in range(side):
                        ws, xs = [], []
                        for c in range(c_in):
                            for ki in range(3):
                                ii = i + ki - 1
                                if not 0 <= ii < side:
                                    continue
                                for kj in range(3):
                                    jj = j + kj - 1
                                    if 0 <= jj < side:
                                        ws.append(weight[((o * c_in + c) * 3 + ki) * 3 + kj])
                                        xs.append(image[c][ii][jj])
                        row.append(neuron(ws, bias[o], xs))
                    plane.append(row)
                out.append(plane)
            return out

        def relu_image(image):
            return [[[v.relu() for v in row] for row in plane] for plane in image]

        def forward(sample):
            image = [[sample[i * side:(i + 1) * side] for i in range(side)]]
            h = relu_image(conv3x3(parameters_flat[0], parameters_flat[1], 1, image))
            r = conv3x3(parameters_flat[4], parameters_flat[5], channels,
                        relu_image(conv3x3(parameters_flat[2], parameters_flat[3], channels, h)))
            h = [[[(a + b).relu() for a, b in zip(ra, rb)] for ra, rb in zip(pa, pb)]
                 for pa, pb in zip(h, r)]
            flat = [v for plane in h for row in plane for v in row]  # (C, H, W) order
            return dense(parameters_flat[6], parameters_flat[7], channels * side * side, flat)

    def step():
        for p in parameters:
            p.grad = 0
        squares = []
        for b in range(batch):
            sample = [Value(v) for v in inputs[b * features:(b + 1) * features]]
            prediction = forward(sample)
            for o in range(outputs):
                squares.append((prediction[o] - Value(targets[b * outputs + o])) ** 2)
        loss = sum(squares[1:], squares[0]) * (1 / len(squares))
        loss.backward()
        if clip_norm is not None:  # as torch.nn.utils.clip_grad_norm_ and baifs's .byNorm
            norm = math.sqrt(sum(p.grad * p.grad for p in parameters))
            coefficient = clip_norm / (norm + 1e-6)
            if coefficient < 1:
                for p in parameters:
                    p.grad *= coefficient
        for p in parameters:
            p.data -= learning_rate * p.grad
        return loss

    return step, parameters


def count_nodes(root) -> int:
    seen, stack = {id(root)}, [root]
    while stack:
        for child in stack.pop()._prev:
            if id(child) not in seen:
                seen.add(id(child))
                stack.append(child)
    return len(seen)


def micrograd_worker(names: list[str], modes: list[str], blocks: int, block_seconds: float,
                     slow_blocks: int) -> dict:
    try:
        import micrograd.engine  # noqa: F401
    except Exception as error:
        return {"error": f"micrograd failed to import: {type(error).__name__}: {error}"}
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 100_000))  # Value.backward() recurses
    results: dict[str, dict] = {mode: {} for mode in modes}
    nodes = {}
    for name in names:
        step, _ = build_micrograd_step(WORKLOADS[name])
        nodes[name] = count_nodes(step())  # one untimed step to count the graph's Values
        slow = name in SLOW_FOR_MICROGRAD
        for mode in modes:
            progress(f"timing micrograd ({mode}) {name}…")
            if mode == "stock":
                timed = step
            else:
                # The collector is off while the step builds and walks its graph, then collects
                # that step's garbage (Value ↔ closure cycles) once, inside the timed step.
                def timed(step=step):
                    gc.disable()
                    try:
                        step()
                    finally:
                        gc.enable()
                        gc.collect(0)
            result = median_microseconds(timed, slow_blocks if slow else blocks, block_seconds)
            result["nodes_per_step"] = nodes[name]
            results[mode][name] = result
    return {"version": installed_version("micrograd"), "modes": results, "peak_rss_mb": peak_rss_mb()}


# ----------------------------------------------------------------------------------------------
# Whole trainings (--training): per-epoch time of the loop baifs-bench --training times, in PyTorch.

TRAINING_WORKLOADS: dict[str, dict] = {
    "train/mlp-64x32": {"kind": "mlp", "sizes": [64, 32, 10], "rows": 1536, "batch": 32},
    "train/mlp-256x128": {"kind": "mlp", "sizes": [256, 128, 10], "rows": 1536, "batch": 64},
    "train/mlp-784x128": {"kind": "mlp", "sizes": [784, 128, 10], "rows": 1536, "batch": 64},
    "train/mlp-784x512x512": {"kind": "mlp", "sizes": [784, 512, 512, 10], "rows": 768, "batch": 64},
    "train/cnn-16x16c8": {"kind": "cnn", "channels": 8, "side": 16, "rows": 768, "batch": 32},
    "train/cnn-28x28c8": {"kind": "cnn", "channels": 8, "side": 28, "rows": 384, "batch": 32},
}
TRAINING_EPOCHS = 5


def training_worker(names: list[str], dtype_name: str, threads: int) -> dict:
    """Synthetic Gaussian features (a mean per class, unit noise), 10 classes, cross-entropy, SGD
    0.05, shuffled batches, validation on a quarter as many rows every epoch (no_grad); the median
    ms per epoch over epochs 2–5, as Sources/baifs-bench/TrainingWorkload.swift."""
    try:
        import torch
    except Exception as error:
        return {"error": f"PyTorch failed to import: {type(error).__name__}: {error}"}
    import torch.nn.functional as F
    from torch import nn
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    dtype = {"float32": torch.float32, "float64": torch.float64}[dtype_name]
    results = {}
    for name in names:
        progress(f"training PyTorch {dtype_name} ({threads} thread{'s' if threads > 1 else ''}) {name}…")
        spec = TRAINING_WORKLOADS[name]
        if spec["kind"] == "mlp":
            sizes = spec["sizes"]
            layers = []
            for index, (fan_in, fan_out) in enumerate(zip(sizes, sizes[1:])):
                layers.append(nn.Linear(fan_in, fan_out))
                if index < len(sizes) - 2:
                    layers.append(nn.ReLU())
            model = nn.Sequential(*layers)
            shape = (sizes[0],)
        else:
            channels, side = spec["channels"], spec["side"]

            class ResidualBlock(nn.Module):
                def __init__(self):
                    super().__init__()
                    self.conv1 = nn.Conv2d(channels, channels, 3, padding=1)
                    self.conv2 = nn.Conv2d(channels, channels, 3, padding=1)

                def forward(self, h):
                    return F.relu(h + self.conv2(F.relu(self.conv1(h))))

            model = nn.Sequential(nn.Conv2d(1, channels, 3, padding=1), nn.ReLU(), ResidualBlock(),
                                  nn.Flatten(), nn.Linear(channels * side * side, 10))
            shape = (1, side, side)
        model = model.to(dtype)
        features = math.prod(shape)
        means = torch.randn(10, features, dtype=dtype)

        def dataset(rows):
            labels = torch.randint(0, 10, (rows,))
            return (means[labels] + torch.randn(rows, features, dtype=dtype)).reshape((rows,) + shape), labels

        (x, y), (vx, vy) = dataset(spec["rows"]), dataset(spec["rows"] // 4)
        optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
        batch = spec["batch"]
        epochs = []
        for _ in range(TRAINING_EPOCHS):
            start = time.perf_counter_ns()
            order = torch.randperm(len(x))
            for first in range(0, len(x), batch):
                indices = order[first:first + batch]
                optimizer.zero_grad()
                loss = F.cross_entropy(model(x[indices]), y[indices])
                loss.backward()
                optimizer.step()
            with torch.no_grad():
                total, correct = 0.0, 0
                for first in range(0, len(vx), batch):
                    output = model(vx[first:first + batch])
                    total += F.cross_entropy(output, vy[first:first + batch], reduction="sum").item()
                    correct += (output.argmax(1) == vy[first:first + batch]).sum().item()
            epochs.append((time.perf_counter_ns() - start) / 1e6)
        timed = sorted(epochs[1:])
        results[name] = {"ms_per_epoch": timed[len(timed) // 2], "epochs_ms": epochs}
    return {"version": torch.__version__, "threads": torch.get_num_threads(), "workloads": results,
            "peak_rss_mb": peak_rss_mb()}


def main_training(args) -> int:
    """baifs-bench --training (1 and 2 threads) beside PyTorch f32 and f64 (1 thread), one table."""
    names = args.workload or list(TRAINING_WORKLOADS)
    unknown = [n for n in names if n not in TRAINING_WORKLOADS]
    if unknown:
        print(f"unknown training workload(s) {', '.join(unknown)}; choose from {', '.join(TRAINING_WORKLOADS)}", file=sys.stderr)
        return 2
    load_before = load_average()
    columns: dict[str, dict] = {}
    one_thread = {"OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}

    def keep_minimum(key, results):
        # Over the repeats, the smallest median per workload: the least disturbed by other processes.
        column = columns.setdefault(key, {})
        for name, result in results.items():
            if name in column and column[name]["ms_per_epoch"] <= result["ms_per_epoch"]:
                continue
            column[name] = result

    base = [os.path.abspath(args.baifs_bench)] if args.baifs_bench else ["swift", "run", "-c", "release", "baifs-bench"]
    have_torch = importlib.util.find_spec("torch") is not None and not args.no_torch
    for repeat in range(args.repeats):
        # Interleaved: every column once per repeat, so that a busy spell on the machine hits all.
        for threads in ((1, 2) if not args.no_baifs else ()):
            command = base + ["--training", "--json", "--threads", str(threads)]
            if len(names) == 1:
                command += ["--workload", names[0]]
            progress(f"running baifs ({repeat + 1}/{args.repeats}): {' '.join(command)}")
            completed = subprocess.run(command, stdout=subprocess.PIPE, text=True, cwd=REPOSITORY)
            if completed.returncode == 0:
                result = json.loads(completed.stdout.strip().splitlines()[-1])
                keep_minimum(f"baifs-{threads}t", {k: v for k, v in result.items() if k != "_meta"})
        for dtype in (("float32", "float64") if have_torch else ()):
            result = run_worker(["torch-training", "--dtype", dtype, "--threads", "1", "--workload", *names], one_thread)
            if "error" not in result:
                keep_minimum(f"torch-{dtype}", result["workloads"])
    headers = ["workload", "baifs 1t ms/epoch", "baifs 2t", "PyTorch f32", "PyTorch f64", "f32 ÷ baifs 1t", "f64 ÷ baifs 1t"]
    rows = []
    for name in names:
        def cell(key):
            return columns.get(key, {}).get(name, {}).get("ms_per_epoch")
        one, two, f32, f64 = cell("baifs-1t"), cell("baifs-2t"), cell("torch-float32"), cell("torch-float64")
        rows.append([name, number(one), number(two), number(f32), number(f64),
                     ratio(f32 / one if f32 and one else None), ratio(f64 / one if f64 and one else None)])
    if args.json:
        print(json.dumps({"columns": columns, "load_average": [load_before, load_average()]}, indent=2))
        return 0
    if args.markdown:
        print("| " + " | ".join(headers) + " |")
        print("|---|" + "---:|" * (len(headers) - 1))
        for row in rows:
            print("| " + " | ".join(row) + " |")
    else:
        widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
        print("  ".join(h.ljust(widths[i]) if i == 0 else h.rjust(widths[i]) for i, h in enumerate(headers)))
        for row in rows:
            print("  ".join(c.ljust(widths[i]) if i == 0 else c.rjust(widths[i]) for i, c in enumerate(row)))
    print(f"ms per epoch (training and validation), median of epochs 2–{TRAINING_EPOCHS}, the least of {args.repeats} "
          f"interleaved repeats; ratio above 1: baifs is faster; "
          f"load average before → after: {load_before} → {load_average()} on {os.cpu_count()} CPUs")
    return 0


# ----------------------------------------------------------------------------------------------
# Cross-check: PyTorch float64 and micrograd, from the same start, give the same losses.

def check_worker(names: list[str], steps: int) -> dict:
    import torch
    torch.set_num_threads(1)
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 100_000))
    report = {}
    for name in names:
        progress(f"checking {name}: PyTorch float64 against micrograd, {steps} steps…")
        torch_step, _ = build_torch_step(WORKLOADS[name], "float64")
        micrograd_step, _ = build_micrograd_step(WORKLOADS[name])
        pairs = [(torch_step().item(), micrograd_step().data) for _ in range(steps)]
        worst = max(abs(a - b) / max(1.0, abs(a)) for a, b in pairs)
        report[name] = {"losses": pairs, "max_relative_difference": worst, "ok": worst <= 1e-9}
    return report


# ----------------------------------------------------------------------------------------------
# The parent process: baifs, the peers, the table.

def installed_version(distribution: str) -> str | None:
    try:
        from importlib.metadata import version
        return version(distribution)
    except Exception:
        return None


def run_worker(arguments: list[str], environment: dict | None = None) -> dict:
    command = [sys.executable, str(Path(__file__).resolve()), "--worker"] + arguments
    env = dict(os.environ, **(environment or {}))
    completed = subprocess.run(command, stdout=subprocess.PIPE, text=True, env=env)
    try:
        return json.loads(completed.stdout.strip().splitlines()[-1])
    except (json.JSONDecodeError, IndexError):
        return {"error": f"worker {' '.join(arguments)} exited with status {completed.returncode} "
                         "and printed no result (see its messages above)"}


def run_baifs(args, names: list[str]) -> tuple[dict | None, str]:
    """Returns (baifs-bench's JSON object, a description of where it came from)."""
    if args.baifs_json:
        return json.loads(Path(args.baifs_json).read_text()), f"read from {args.baifs_json}"
    if args.baifs_bench:
        path = args.baifs_bench  # relative to where the script was started, not to the repository
        command = [os.path.abspath(path) if os.sep in path else path, "--json"]
    else:
        command = ["swift", "run", "-c", "release", "baifs-bench", "--json"]
    if len(names) == 1:
        command += ["--workload", names[0]]
    if args.baifs_threads is not None:
        command += ["--threads", str(args.baifs_threads)]
    progress(f"running baifs: {' '.join(command)}")
    try:
        completed = subprocess.run(command, stdout=subprocess.PIPE, text=True, cwd=REPOSITORY)
    except FileNotFoundError as error:
        progress(f"baifs benchmark not run: {error}")
        return None, f"not run ({error})"
    if completed.returncode != 0:
        progress(f"baifs benchmark failed with status {completed.returncode}")
        return None, f"failed: {' '.join(command)}"
    # swift run may print build lines first; the result is the last line.
    return json.loads(completed.stdout.strip().splitlines()[-1]), " ".join(command)


def main_parent(args) -> int:
    names = list(WORKLOADS) if not args.workload else args.workload
    unknown = [n for n in names if n not in WORKLOADS]
    if unknown:
        print(f"unknown workload(s) {', '.join(unknown)}; choose from {', '.join(WORKLOADS)}", file=sys.stderr)
        return 2
    notes: list[str] = []
    load_before = load_average()

    baifs, baifs_source = run_baifs(args, names) if not args.no_baifs else (None, "skipped (--no-baifs)")

    have_torch = importlib.util.find_spec("torch") is not None and not args.no_torch
    have_micrograd = importlib.util.find_spec("micrograd") is not None and not args.no_micrograd
    for module, flag, present in (("torch", args.no_torch, have_torch), ("micrograd", args.no_micrograd, have_micrograd)):
        if flag:
            notes.append(f"{module}: skipped (--no-{module})")
        elif not present:
            message = f"{module} is not installed, so its columns are empty; install with: {INSTALL_HINT}"
            notes.append(message)
            progress(message)

    # column key → (title, {workload: result}); filled in the order they are run.
    columns: dict[str, dict] = {}
    peers_meta: dict[str, dict] = {}
    one_thread = {"OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    if have_torch:
        all_threads = os.cpu_count() or 1
        configurations = [("pytorch-f32", "torch f32", "float32", 1), ("pytorch-f64", "torch f64", "float64", 1)]
        if args.torch_all_threads:
            configurations.append((f"pytorch-f32-{all_threads}t", f"torch f32 {all_threads}t", "float32", all_threads))
        for key, title, dtype, threads in configurations:
            environment = one_thread if threads == 1 else {"OMP_NUM_THREADS": str(threads), "MKL_NUM_THREADS": str(threads)}
            result = run_worker(["torch", "--dtype", dtype, "--threads", str(threads),
                                 "--blocks", str(args.blocks), "--block-seconds", str(args.block_seconds),
                                 "--workload", *names], environment)
            if "error" in result:
                notes.append(f"{title}: {result['error']} (try: {INSTALL_HINT})")
                progress(notes[-1])
                break
            columns[key] = {"title": title, "results": result["workloads"]}
            peers_meta[key] = {k: v for k, v in result.items() if k != "workloads"}

    if have_micrograd:
        micrograd_names = [n for n in names if not (args.skip_slow and n in SLOW_FOR_MICROGRAD)
                           and n not in TOO_SLOW_FOR_MICROGRAD]
        if len(micrograd_names) < len(names):
            notes.append("micrograd: mlp-64 and cnn-8x8 skipped (--skip-slow)")
        modes = ["stock"] + (["gc-off"] if args.micrograd_gc_off else [])
        if micrograd_names:
            result = run_worker(["micrograd", "--modes", *modes, "--blocks", str(args.blocks),
                                 "--block-seconds", str(args.block_seconds), "--slow-blocks", str(args.slow_blocks),
                                 "--workload", *micrograd_names])
            if "error" in result:
                notes.append(f"micrograd: {result['error']} (try: {INSTALL_HINT})")
                progress(notes[-1])
            else:
                for mode in modes:
                    key = "micrograd" if mode == "stock" else "micrograd-gc-off"
                    title = "micrograd" if mode == "stock" else "mg GC-off"
                    columns[key] = {"title": title, "results": result["modes"][mode]}
                peers_meta["micrograd"] = {"version": result["version"], "peak_rss_mb": result["peak_rss_mb"]}
                slow_timed = [n for n in micrograd_names if n in SLOW_FOR_MICROGRAD]
                if slow_timed:
                    notes.append(f"micrograd on {', '.join(slow_timed)}: median of {args.slow_blocks} "
                                 "single-step blocks after one warm-up step")
                if args.micrograd_gc_off:
                    notes.append("mg GC-off = micrograd with gc.disable() during the step, then gc.collect(0) "
                                 "of its garbage, inside the timed step")
                for name in micrograd_names:
                    built = result["modes"]["stock"][name]["nodes_per_step"]
                    counted = (baifs or {}).get(name, {}).get("nodes_per_step")
                    notes.append(f"graph size {name}: micrograd builds {built:,} Values per step"
                                 + (f", baifs counts {counted:,} nodes" if counted else ""))

    check, check_failed = None, False
    check_names = [n for n in names if not (args.skip_slow and n in SLOW_FOR_MICROGRAD)
                   and n not in TOO_SLOW_FOR_MICROGRAD]
    if not args.no_check and "pytorch-f64" in columns and "micrograd" in columns and check_names:
        check = run_worker(["check", "--check-steps", str(args.check_steps), "--workload", *check_names], one_thread)
        if "error" in check:
            notes.append(f"check: {check['error']}")
        else:
            bad = [n for n, r in check.items() if not r["ok"]]
            worst = max(r["max_relative_difference"] for r in check.values())
            check_failed = bool(bad)
            notes.append(f"check: PyTorch f64 and micrograd losses agree over {args.check_steps} steps from the same "
                         f"start on {', '.join(check)} (max relative difference {worst:.1e})" if not bad else
                         f"CHECK FAILED on {', '.join(bad)}: PyTorch f64 and micrograd losses differ")
            if bad:
                progress(notes[-1])
    notes.append("load average (1, 5, 15 min) before → after: "
                 f"{load_before} → {load_average()} on {os.cpu_count()} CPUs")

    # One record per workload; a baifs-only variant such as "mlp-64/solver" (the same computation by
    # another path in baifs) gets a row of its own, compared with the peers' figures for "mlp-64".
    rows = [(name, name) for name in names]
    for key in (baifs or {}):
        stem = key.rsplit("/", 1)[0]
        if key not in WORKLOADS and stem in names:
            rows.insert(max(i for i, (_, w) in enumerate(rows) if w == stem) + 1, (key, stem))
    records: dict[str, dict] = {}
    for row, name in rows:
        base = (baifs or {}).get(row, {})
        record = {"baifs_us_per_step": base.get("us_per_step"), "baifs": base or None, "peers": {}, "ratios": {}}
        if row != name:
            record["peer_workload"] = name
        for key, column in columns.items():
            if name in column["results"]:
                peer = column["results"][name]
                record["peers"][key] = peer
                if record["baifs_us_per_step"]:
                    record["ratios"][f"{key}/baifs"] = peer["us_per_step"] / record["baifs_us_per_step"]
        records[row] = record
    variants = [f"{row} (baifs) against the peers' {name}" for row, name in rows if row != name]
    if variants:
        notes.append("baifs-only variant rows: " + "; ".join(variants))
    if baifs:
        unknown_rows = [key for key in baifs if key not in records]
        if unknown_rows and not args.workload:
            notes.append(f"baifs workloads with no peer here: {', '.join(unknown_rows)}")

    meta = {
        "machine": {"platform": platform.platform(), "processor": cpu_model(), "cpu_count": os.cpu_count(),
                    "python": platform.python_version()},
        "baifs": baifs_source, "peers": peers_meta,
        "timing": {"blocks": args.blocks, "block_seconds": args.block_seconds,
                   "micrograd_slow_blocks": args.slow_blocks},
        "notes": notes,
    }
    if check is not None:
        meta["check"] = check

    if args.json:
        print(json.dumps({"meta": meta, "workloads": records}, indent=2))
    else:
        print(render_table(records, columns, markdown=args.markdown))
        print()
        if args.markdown:
            versions = [f"torch {v['version']}" for k, v in peers_meta.items() if k == "pytorch-f32"] \
                + [f"micrograd {v['version']}" for k, v in peers_meta.items() if k == "micrograd"]
            print("; ".join([f"baifs: `{baifs_source}`"] + versions))
        else:
            print(f"baifs: {baifs_source}")
            for key, value in peers_meta.items():
                print(f"{key}: version {value.get('version')}, peak RSS {value.get('peak_rss_mb', 0):.0f} MB"
                      + (f", threads {value['threads']}" if "threads" in value else ""))
        print(f"machine: {meta['machine']['processor']}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
        print(f"timing: median µs/step over {args.blocks} blocks of ~{args.block_seconds} s after warm-up; "
              "ratio = peer µs/step ÷ baifs µs/step (above 1: baifs is faster)")
        for note in notes:
            print(("- " if args.markdown else "note: ") + note)
    return 1 if check_failed else 0


def load_average() -> str:
    try:
        return ", ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def render_table(records: dict, columns: dict, markdown: bool) -> str:
    headers = ["workload", "baifs µs"] + [f"{c['title']} µs" for c in columns.values()] \
        + [f"{c['title']}/baifs" for c in columns.values()]
    rows = []
    for name, record in records.items():
        row = [name, number(record["baifs_us_per_step"])]
        row += [number(record["peers"][k]["us_per_step"]) if k in record["peers"] else "-" for k in columns]
        row += [ratio(record["ratios"].get(f"{k}/baifs")) for k in columns]
        rows.append(row)
    if markdown:
        lines = ["| " + " | ".join(headers) + " |",
                 "|---|" + "---:|" * (len(headers) - 1)]
        lines += ["| " + " | ".join(row) + " |" for row in rows]
        return "\n".join(lines)
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    def line(cells):
        return "  ".join(c.ljust(widths[0]) if i == 0 else c.rjust(widths[i]) for i, c in enumerate(cells))
    return "\n".join([line(headers), line(["-" * w for w in widths])] + [line(r) for r in rows])


def number(value) -> str:
    if value is None:
        return "-"
    return f"{value:,.1f}" if value < 100 else f"{value:,.0f}"


def ratio(value) -> str:
    if value is None:
        return "-"
    return f"{value:,.2f}×" if value < 100 else f"{value:,.0f}×"


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="Install the peers with: " + INSTALL_HINT)
    parser.add_argument("--workload", nargs="+", metavar="NAME", help=f"only these ({', '.join(WORKLOADS)})")
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--baifs-json", metavar="FILE", help="read baifs-bench --json output from FILE")
    source.add_argument("--baifs-bench", metavar="PATH", help="run this baifs-bench executable instead of swift run")
    source.add_argument("--no-baifs", action="store_true", help="time the peers only")
    parser.add_argument("--baifs-threads", type=int, metavar="N", help="pass --threads N to baifs-bench")
    parser.add_argument("--no-torch", action="store_true", help="leave out PyTorch")
    parser.add_argument("--no-micrograd", action="store_true", help="leave out micrograd")
    parser.add_argument("--torch-all-threads", action="store_true",
                        help="add a PyTorch f32 column with all CPUs' threads")
    parser.add_argument("--micrograd-gc-off", action="store_true",
                        help="add a micrograd column with the garbage collector off during the step")
    parser.add_argument("--skip-slow", action="store_true", help="skip micrograd on mlp-64 and cnn-8x8")
    parser.add_argument("--slow-blocks", type=int, default=3,
                        help="timed one-step blocks for micrograd on mlp-64 and cnn-8x8 (default 3)")
    parser.add_argument("--blocks", type=int, default=7, help="timed blocks (default 7)")
    parser.add_argument("--block-seconds", type=float, default=0.15, help="seconds per block (default 0.15)")
    parser.add_argument("--no-check", action="store_true",
                        help="skip checking that PyTorch f64 and micrograd give the same losses from the same start")
    parser.add_argument("--check-steps", type=int, default=2, help="steps of that check (default 2)")
    output = parser.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print one JSON object")
    output.add_argument("--markdown", action="store_true", help="print a Markdown table")
    # Internal: run one peer in this process and print its results as JSON.
    parser.add_argument("--training", action="store_true",
                        help="time whole trainings per epoch (train/… workloads) instead of steps")
    parser.add_argument("--repeats", type=int, default=3,
                        help="with --training: interleaved repeats of every column, keeping each one's least time (default 3)")
    parser.add_argument("--worker", choices=["torch", "micrograd", "check", "torch-training"], help=argparse.SUPPRESS)
    parser.add_argument("--dtype", default="float32", help=argparse.SUPPRESS)
    parser.add_argument("--threads", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--modes", nargs="+", default=["stock"], help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    args = parse_arguments(argv)
    if args.worker == "torch-training":
        print(json.dumps(training_worker(args.workload or list(TRAINING_WORKLOADS), args.dtype, args.threads)))
        return 0
    if args.training:
        return main_training(args)
    if args.worker:
        names = args.workload or list(WORKLOADS)
        if args.worker == "torch":
            result = torch_worker(names, args.dtype, args.threads, args.blocks, args.block_seconds)
        elif args.worker == "micrograd":
            result = micrograd_worker(names, args.modes, args.blocks, args.block_seconds, args.slow_blocks)
        else:
            result = check_worker(names, args.check_steps)
        print(json.dumps(result))
        return 0
    return main_parent(args)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
