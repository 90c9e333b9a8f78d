#!/usr/bin/env bash
# A sweep as a plain bash loop: every experiment file × every learning rate, one `baifs-run` each,
# relying on its contract (the last line on stdout is the run directory; progress and errors go to
# stderr; the exit status says whether the run completed), then the best epoch's metrics of each
# run's summary.json gathered into one CSV. Copy it and change the lists.
#
#   experiments/sweep.sh                                      # results in runs/sweep-sh/results.csv
#   OUT=runs/quick experiments/sweep.sh --set training.epochs=3   # arguments go to every run
#   BAIFS_RUN=.build/debug/baifs-run experiments/sweep.sh     # another baifs-run
#
# For ranked trials, resuming, Slurm and GNU parallel, see `baifs-run sweep` (docs/sweeps.md).
set -euo pipefail

if [ -n "${BAIFS_RUN:-}" ]; then baifs_run=$BAIFS_RUN
elif command -v baifs-run > /dev/null; then baifs_run=baifs-run
else baifs_run=.build/release/baifs-run
fi
out=${OUT:-runs/sweep-sh}
configs=(experiments/mlp.yaml experiments/spirals-adam.yaml)
learning_rates=(0.01 0.03 0.1)

# summary_value FILE OBJECT KEY: the value of KEY in the top-level OBJECT ("final" or "best") of a
# summary.json, which baifs writes one key per line.
summary_value() {
    awk -v object="$2" -v key="$3" '
        $0 ~ "^  \"" object "\": [{]$" { inside = 1; next }
        inside && /^  [}]/ { exit }
        inside && $0 ~ "^    \"" key "\": " { value = $2; sub(/,$/, "", value); print value; exit }
    ' "$1"
}

mkdir -p "$out"
results=$out/results.csv
echo "config,learning_rate,status,run,best_epoch,best_train_loss,best_val_loss,best_val_accuracy" > "$results"
failed=0
for config in "${configs[@]}"; do
    for learning_rate in "${learning_rates[@]}"; do
        name="$(basename "$config" .yaml)-lr$learning_rate"
        if run=$("$baifs_run" "$config" --set "optimizer.learning_rate=$learning_rate" --name "$name" --out "$out" \
                 --quiet "$@" | tail -n 1); then
            summary=$run/summary.json
            row="completed,$run"
            for key in epoch train_loss val_loss val_accuracy; do row+=",$(summary_value "$summary" best "$key")"; done
            echo "sweep.sh: $name → $run" >&2
        else
            # The error is already on stderr; record the run and go on.
            row="failed,,,,,"
            failed=$((failed + 1))
        fi
        echo "$config,$learning_rate,$row" >> "$results"
    done
done
echo "sweep.sh: $((${#configs[@]} * ${#learning_rates[@]} - failed)) runs completed, $failed failed; results in $results" >&2
echo "$results"
[ "$failed" -eq 0 ]
