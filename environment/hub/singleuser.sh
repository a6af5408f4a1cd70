#!/usr/bin/env bash
# Starts one learner's Jupyter Notebook server for JupyterHub, as that learner: the local hub (make hub) and
# Zero to JupyterHub (the Docker image, docker/z2jh-config.yaml) both run it. It copies the lessons the learner
# does not have yet into their folder (a lesson they already have, edited or not, is kept), makes the course's
# kernel visible, then runs jupyterhub-singleuser.
#   CONVKIT_WORK    the learner's lesson folder (default ~/convkit)
#   CONVKIT_DATA    the learner's data cache (default ~/.cache/convkit)
#   MEM_LIMIT       bytes the learner may use (set by JupyterHub from Spawner.mem_limit / singleuser.memory.limit)
set -euo pipefail
# What a learner writes is theirs alone, whatever the home folder's mode.
umask 077
kit=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
work=${CONVKIT_WORK:-$HOME/convkit}
data=${CONVKIT_DATA:-$HOME/.cache/convkit}

source "$kit/environment/learner-folder.sh"
learner_folders "$kit" "$work" "$data" || exit 1
export CONVKIT_DATA="$data"
# The course's kernelspec, also when $HOME (where the image installed it) is a fresh volume.
export JUPYTER_PATH="$kit/build/jupyter${JUPYTER_PATH:+:$JUPYTER_PATH}"
# MEM_LIMIT passes on to the kernel, whose launcher sizes Java to it (environment/kernel/convkit-kernel).
exec jupyterhub-singleuser "$@"
