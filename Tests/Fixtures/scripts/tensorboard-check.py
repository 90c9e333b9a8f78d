"""Reads baifs run and sweep directories with TensorBoard itself, for CommandLineTests.

  tensorboard-check.py scalars RUN_DIR   JSON {tag: [[step, value], ...]} of RUN_DIR/tensorboard
  tensorboard-check.py serve LOGDIR      starts `tensorboard --logdir LOGDIR` on a free port, asks
                                         its HTTP API for the runs, the scalar tags and the HParams
                                         session groups, stops it, prints them as JSON
"""
import json, os, signal, subprocess, sys, time, urllib.request


def scalars(run_dir):
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
    accumulator = EventAccumulator(os.path.join(run_dir, "tensorboard"), size_guidance={"scalars": 0})
    accumulator.Reload()
    return {tag: [[event.step, event.value] for event in accumulator.Scalars(tag)]
            for tag in accumulator.Tags()["scalars"]}


def serve(logdir):
    server = subprocess.Popen([sys.executable, "-m", "tensorboard.main", "--logdir", logdir, "--port", "0",
                               "--host", "127.0.0.1", "--load_fast", "false", "--reload_interval", "0"],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        address = None
        deadline = time.time() + 60
        while address is None and time.time() < deadline:
            line = server.stdout.readline()
            if not line:
                break
            if "http://" in line:
                address = line[line.index("http://"):].split()[0].rstrip("/")
        if address is None:
            raise SystemExit("tensorboard did not start")

        def get(path, body=None):
            request = urllib.request.Request(address + path, data=None if body is None else json.dumps(body).encode(),
                                             headers={"Content-Type": "application/json", "X-TensorBoard-Feature-Flags": "{}"})
            with urllib.request.urlopen(request, timeout=30) as response:
                return json.loads(response.read())

        # The first answers may come before the first load of the log folder has ended.
        runs = []
        while time.time() < deadline:
            runs = get("/data/runs")
            if runs:
                break
            time.sleep(0.5)
        tags = get("/data/plugin/scalars/tags")
        groups = get("/data/plugin/hparams/session_groups",
                     {"experimentName": "", "allowedStatuses": ["STATUS_SUCCESS", "STATUS_FAILURE", "STATUS_RUNNING", "STATUS_UNKNOWN"],
                      "colParams": [], "startIndex": 0, "sliceSize": 1000})
        return {"runs": sorted(runs), "tags": {run: sorted(run_tags) for run, run_tags in tags.items()}, "session_groups": groups}
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


if __name__ == "__main__":
    command, folder = sys.argv[1], sys.argv[2]
    print(json.dumps(scalars(folder) if command == "scalars" else serve(folder)))
