#!/usr/bin/env bash
# Starts classic Jupyter Notebook in the course image (the images' CMD): token required, never root,
# lessons copied into the learner's work folder, the data cache ready. Run by docker/test-fresh-root.sh too.
#   JUPYTER_TOKEN   the token learners type; when unset or empty Jupyter makes a random one and prints it
#   JUPYTER_PORT    port inside the container (8888)
set -euo pipefail
work=${CONVKIT_WORK:-$HOME/work}
data=${CONVKIT_DATA:-$HOME/data}
kit=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

if [ "$(id -u)" -eq 0 ]; then
    echo "convkit: refusing to run Jupyter as root; start the image as its own user (drop '--user root' / 'user: root')" >&2
    exit 1
fi
# A volume or bind mount that does not exist yet is created; one the learner cannot write is named. Lessons
# the learner does not have yet are copied in (one they already have, and edited, is kept), and the bundled data.
source "$kit/environment/learner-folder.sh"
learner_folders "$kit" "$work" "$data" || exit 1

# An empty token would mean no authentication: leave it unset so Jupyter generates one (and prints it).
[ -n "${JUPYTER_TOKEN:-}" ] || unset JUPYTER_TOKEN
[ -n "${JUPYTER_TOKEN_FILE:-}" ] || unset JUPYTER_TOKEN_FILE
exec jupyter notebook --no-browser --ip=0.0.0.0 --port="${JUPYTER_PORT:-8888}" --notebook-dir="$work"
