#!/usr/bin/env python3
"""Writes Tests/Fixtures/pytorch-float64-trace.json: full-batch trainings in PyTorch float64 that
BaifsTests/Training/PyTorchTraceTests replays in baifs and compares (the test needs no Python).

Two problems, each from initial parameters and data drawn here (Python's random, seed 14):
  mlp  MLP 12→16→4, ReLU hidden; 24 samples, 4 classes; cross-entropy; SGD lr 0.1; 10 steps
  cnn  1×6×6 input; Conv2d 1→3 3×3 pad 1, ReLU; residual block ReLU(h + conv(ReLU(conv(h))))
       with two 3→3 3×3 pad-1 convolutions; flatten (C, H, W); Linear 108→4; 16 samples;
       MSE against targets in [-1, 1]; SGD lr 0.05; 8 steps
For each: the parameters before training (PyTorch order, row-major), the inputs and targets, the
loss before every step, the gradients of the first step, and the parameters after the last step.

    pip install torch && python3 benchmarks/pytorch_trace.py
"""
import json
import math
import random
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

torch.set_default_dtype(torch.float64)
generator = random.Random(14)


def uniform(count, bound):
    return [generator.uniform(-bound, bound) for _ in range(count)]


class Residual(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.conv1 = nn.Conv2d(channels, channels, 3, padding=1)
        self.conv2 = nn.Conv2d(channels, channels, 3, padding=1)

    def forward(self, h):
        return F.relu(h + self.conv2(F.relu(self.conv1(h))))


def trace(name, model, inputs, targets, loss_kind, learning_rate, steps, input_shape, classes=None):
    parameters = list(model.parameters())
    with torch.no_grad():
        for parameter in parameters:
            parameter.copy_(torch.tensor(uniform(parameter.numel(), 0.5)).reshape(parameter.shape))
    initial = [p.detach().flatten().tolist() for p in parameters]
    x = torch.tensor(inputs).reshape([-1] + input_shape)
    y = torch.tensor(targets, dtype=torch.long) if loss_kind == "cross_entropy" else torch.tensor(targets).reshape(x.shape[0], -1)
    optimizer = torch.optim.SGD(parameters, lr=learning_rate)
    losses, first_gradients = [], None
    for step in range(steps):
        optimizer.zero_grad()
        output = model(x)
        loss = F.cross_entropy(output, y) if loss_kind == "cross_entropy" else F.mse_loss(output, y)
        loss.backward()
        losses.append(loss.item())
        if step == 0:
            first_gradients = [p.grad.flatten().tolist() for p in parameters]
        optimizer.step()
    return {"name": name, "loss": loss_kind, "learning_rate": learning_rate, "steps": steps,
            "input_shape": input_shape, "classes": classes, "inputs": inputs, "targets": targets,
            "initial_parameters": initial, "losses": losses, "first_gradients": first_gradients,
            "final_parameters": [p.detach().flatten().tolist() for p in parameters],
            "torch_version": torch.__version__}


mlp = nn.Sequential(nn.Linear(12, 16), nn.ReLU(), nn.Linear(16, 4))
mlp_inputs = uniform(24 * 12, 1.5)
mlp_labels = [generator.randrange(4) for _ in range(24)]
cnn = nn.Sequential(nn.Conv2d(1, 3, 3, padding=1), nn.ReLU(), Residual(3), nn.Flatten(), nn.Linear(108, 4))
cnn_inputs = uniform(16 * 36, 1.0)
cnn_targets = uniform(16 * 4, 1.0)
problems = [
    trace("mlp", mlp, mlp_inputs, mlp_labels, "cross_entropy", 0.1, 10, [12], classes=4),
    trace("cnn", cnn, cnn_inputs, cnn_targets, "mse", 0.05, 8, [1, 6, 6]),
]
path = Path(__file__).resolve().parent.parent / "Tests" / "Fixtures" / "pytorch-float64-trace.json"
path.write_text(json.dumps({"generator": "benchmarks/pytorch_trace.py", "problems": problems}, indent=1) + "\n")
print(f"wrote {path}")
