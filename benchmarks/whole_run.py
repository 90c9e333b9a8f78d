#!/usr/bin/env python3
"""A whole small run, files and all, beside the same training loop in PyTorch (issue 14, goal 2).

The run: an MLP 64→32→10 (ReLU) on a CSV of 1,796 rows of 64 features and 10 classes (Gaussian
clusters, written here), standardised, a quarter held out for validation (1,347 training rows),
MSE on one-hot targets, SGD 0.1, batch 32, 20 epochs, validation every epoch. baifs-run is timed as
a whole process (start-up, reading the CSV, training, every file of the run directory); PyTorch f32
as its loop (data already in tensors, nothing written). Interleaved repeats; the least of each.

    python3 benchmarks/whole_run.py --baifs-run .build/release/baifs-run [--repeats 5] [--epochs 20]
"""
import argparse
import os
import random
import subprocess
import tempfile
import time
from pathlib import Path


def write_inputs(folder: Path, epochs: int) -> Path:
    generator = random.Random(14)
    centres = [[generator.gauss(0, 1) for _ in range(64)] for _ in range(10)]
    lines = [",".join([f"f{i}" for i in range(64)] + ["label"])]
    for row in range(1796):
        label = row % 10
        lines.append(",".join(f"{c + generator.gauss(0, 2):.5f}" for c in centres[label]) + f",{label}")
    (folder / "data.csv").write_text("\n".join(lines) + "\n")
    (folder / "run.yaml").write_text(f"""name: whole-run
seed: 1
dataset:
  kind: csv
  path: data.csv
  target: label
  task: classification
  normalize: standardize
  validation_fraction: 0.25
model:
  kind: mlp
  layers:
    - {{type: linear, out: 32}}
    - relu
    - {{type: linear, out: 10}}
loss: mse
optimizer:
  kind: sgd
  learning_rate: 0.1
training:
  epochs: {epochs}
  batch_size: 32
  monitor: val_loss
""")
    return folder / "run.yaml"


def torch_loop(folder: Path, epochs: int) -> float:
    import torch
    import torch.nn.functional as F
    from torch import nn
    torch.set_num_threads(1)
    rows = [line.split(",") for line in (folder / "data.csv").read_text().splitlines()[1:]]
    x = torch.tensor([[float(v) for v in row[:-1]] for row in rows])
    y = torch.tensor([int(row[-1]) for row in rows])
    order = torch.randperm(len(x), generator=torch.Generator().manual_seed(1))
    validation, training = order[:449], order[449:]
    mean, std = x[training].mean(0), x[training].std(0)
    x = (x - mean) / std
    targets = F.one_hot(y, 10).float()
    model = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    start = time.perf_counter()
    for _ in range(epochs):
        shuffled = training[torch.randperm(len(training))]
        for first in range(0, len(shuffled), 32):
            batch = shuffled[first:first + 32]
            optimizer.zero_grad()
            loss = F.mse_loss(model(x[batch]), targets[batch])
            loss.backward()
            optimizer.step()
        with torch.no_grad():
            total = 0.0
            for first in range(0, len(validation), 32):
                batch = validation[first:first + 32]
                output = model(x[batch])
                total += F.mse_loss(output, targets[batch], reduction="sum").item()
                (output.argmax(1) == y[batch]).sum().item()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baifs-run", default=".build/release/baifs-run")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    folder = Path(tempfile.mkdtemp(prefix="baifs-whole-run-"))
    config = write_inputs(folder, args.epochs)
    baifs, torch_seconds = [], []
    for repeat in range(args.repeats):
        out = folder / f"out-{repeat}"
        start = time.perf_counter()
        subprocess.run([os.path.abspath(args.baifs_run), str(config), "--out", str(out), "--quiet",
                        "--threads", str(args.threads)], check=True, stdout=subprocess.DEVNULL)
        baifs.append(time.perf_counter() - start)
        try:
            torch_seconds.append(torch_loop(folder, args.epochs))
        except ImportError:
            pass
    print(f"baifs-run, whole process, {args.epochs} epochs, --threads {args.threads}: {min(baifs):.3f} s (least of {len(baifs)})")
    if torch_seconds:
        print(f"PyTorch f32 loop, 1 thread: {min(torch_seconds):.3f} s; PyTorch ÷ baifs = {min(torch_seconds) / min(baifs):.2f}")
    print(f"inputs and runs in {folder}")


if __name__ == "__main__":
    main()
