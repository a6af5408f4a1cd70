#!/usr/bin/env bash
# Starts classic Jupyter Notebook in the course image (the images' CMD): token required, never root,
# lessons copied into the learner's work folder, the data cache ready. Run by docker/test-fresh-root.sh too.
#   JUPYTER_TOKEN   the token learners type; when unset or empty Jupyter makes a random one and prints it
#   JUPYTER_PORT    port inside the container (8888)
set -euo pipefail
work=${CONVKIT_WORK:-$HOME/work}
data=${CONVKIT_DATA:-$HOME/data}
lessons=$(cd "$(dirname "${BASH_SOURCE[0]}")/../notebooks" && pwd)

if [ "$(id -u)" -eq 0 ]; then
    echo "convkit: refusing to run Jupyter as root; start the image as its own user (drop '--user root' / 'user: root')" >&2
    exit 1
fi
# A volume or bind mount that does not exist yet is created; one the learner cannot write is named.
for dir in "$work" "$data"; do
    mkdir -p "$dir" 2>/dev/null || true
    if [ ! -w "$dir" ]; then
        echo "convkit: $dir is not writeable by $(id -un) (uid $(id -u)). If it is a host folder, give it to that uid: sudo chown -R $(id -u) <folder>" >&2
        exit 1
    fi
done
# Lessons the learner does not have yet are copied in; a lesson they already have (and edited) is kept.
cp -rn "$lessons"/. "$work"/
# So is the data the image bundles (docker/Dockerfile keeps it outside $HOME).
if [ -d "$lessons/../build/bundled-data" ]; then
    cp -rn "$lessons/../build/bundled-data"/. "$data"/
fi

# An empty token would mean no authentication: leave it unset so Jupyter generates one (and prints it).
[ -n "${JUPYTER_TOKEN:-}" ] || unset JUPYTER_TOKEN
[ -n "${JUPYTER_TOKEN_FILE:-}" ] || unset JUPYTER_TOKEN_FILE
exec jupyter notebook --no-browser --ip=0.0.0.0 --port="${JUPYTER_PORT:-8888}" --notebook-dir="$work"
