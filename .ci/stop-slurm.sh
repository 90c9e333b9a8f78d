#!/usr/bin/env bash
# Stops the daemons that start-slurm.sh started, by the process ids it wrote to FOLDER/*.pid.
set -uo pipefail
folder=${1:?usage: stop-slurm.sh FOLDER}
for name in slurmd slurmctld munged; do
    file="$folder/$name.pid"
    [ -f "$file" ] || continue
    pid=$(cat "$file")
    kill "$pid" 2> /dev/null || continue
    for _ in $(seq 50); do kill -0 "$pid" 2> /dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2> /dev/null || true
done
exit 0
