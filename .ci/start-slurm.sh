#!/usr/bin/env bash
# Starts a single-node Slurm cluster for the scale-out tests: munged (as the munge user), then
# slurmctld and slurmd, with every state, spool and log folder under FOLDER.
#
#   .ci/start-slurm.sh FOLDER     # writes FOLDER/slurm.conf and FOLDER/*.pid, waits for the node
#   export SLURM_CONF=FOLDER/slurm.conf
#   .ci/stop-slurm.sh FOLDER      # stops the daemons by the process ids in FOLDER/*.pid
#
# Needs root and the Debian packages slurmctld, slurmd, slurm-client and munge.
set -euo pipefail
folder=${1:?usage: start-slurm.sh FOLDER}
mkdir -p "$folder"
folder=$(cd "$folder" && pwd)
chmod 0755 "$folder"    # mktemp -d makes it 0700; munged runs as the munge user
mkdir -p "$folder/state" "$folder/spool" "$folder/log"

# munge: its socket folder belongs to the munge user; the key comes with the package. A munged
# that already answers is used as it is (and not stopped by stop-slurm.sh).
if ! (munge -n | unmunge) > /dev/null 2>&1; then
    install -d -o munge -g munge -m 0755 /run/munge
    install -d -o munge -g munge -m 0700 "$folder/munge"
    runuser -u munge -- /usr/sbin/munged --force --pid-file="$folder/munge/munged.pid" --log-file="$folder/munge/munged.log"
    for _ in $(seq 50); do [ -s "$folder/munge/munged.pid" ] && break; sleep 0.1; done
    cp "$folder/munge/munged.pid" "$folder/munged.pid"
    munge -n | unmunge > /dev/null
fi

host=$(hostname -s)
node=$(slurmd -C | head -n 1)
cat > "$folder/slurm.conf" <<CONF
ClusterName=baifs-ci
SlurmctldHost=$host
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
ReturnToService=2
StateSaveLocation=$folder/state
SlurmdSpoolDir=$folder/spool
SlurmctldPidFile=$folder/slurmctld.daemon.pid
SlurmdPidFile=$folder/slurmd.daemon.pid
SlurmctldLogFile=$folder/log/slurmctld.log
SlurmdLogFile=$folder/log/slurmd.log
$node State=UNKNOWN
PartitionName=ci Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$folder/slurm.conf"

# In the foreground (-D) and in the background, so that $! is the daemon's own process id.
slurmctld -D -i -f "$SLURM_CONF" > "$folder/log/slurmctld.out" 2>&1 &
echo $! > "$folder/slurmctld.pid"
slurmd -D -f "$SLURM_CONF" > "$folder/log/slurmd.out" 2>&1 &
echo $! > "$folder/slurmd.pid"

# Ready when the node is idle.
for _ in $(seq 150); do
    if sinfo --noheader --states=idle --format=%n 2> /dev/null | grep -q .; then
        echo "start-slurm: node $(sinfo --noheader --format=%n) is idle; SLURM_CONF=$SLURM_CONF" >&2
        exit 0
    fi
    sleep 0.2
done
echo "start-slurm: the node did not become idle; see $folder/log" >&2
sinfo >&2 || true
tail -n 20 "$folder"/log/*.log >&2 || true
exit 1
