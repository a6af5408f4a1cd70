#!/usr/bin/env bash
# Serves the lessons in Jupyter Notebook on 127.0.0.1 with a login token: `make lab`, and the browser test
# (environment/check_notebook.mjs), which serves its own copy of the lessons the same way.
#
#   environment/lab.sh [jupyter options]      CONVKIT_LAB_DIR=<folder> serves another folder than notebooks/
#   CONVKIT_ALLOW_ROOT=1 environment/lab.sh   as root (make lab ROOT=1): adds --allow-root, still with a token
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
args=(--ip=127.0.0.1 --no-browser)
if [ "$(id -u)" -eq 0 ]; then
    if [ "${CONVKIT_ALLOW_ROOT:-}" != 1 ]; then
        cat >&2 <<'EOF'
lab: you are root, and Jupyter refuses to serve notebooks as root ("Running as root is not recommended"):
every cell would run with root's rights, so a slip in a cell, or a web page that reaches the server,
could change anything on this machine. Run `make lab` as an ordinary user if you can. In a container or a
VM where root is all there is, proceed with
    make lab ROOT=1
(or CONVKIT_ALLOW_ROOT=1), which serves on 127.0.0.1 only, with a login token: Jupyter prints the address
with the token when it starts.
EOF
        exit 1
    fi
    # Jupyter makes a random token unless a config turns authentication off; as root that is refused, not served.
    python=$(sed -n '1s/^#! *//p' "$(command -v jupyter-notebook)")   # the Python that runs Jupyter
    auth=$($python - "$@" <<'PY'
import sys
from notebook.notebookapp import NotebookApp
app = NotebookApp()
app.parse_command_line(sys.argv[1:])   # as Jupyter itself reads them: options, then config files under them
app.load_config_file()
print("yes" if app.token or app.password else "no")
PY
)
    if [ "$auth" != yes ]; then
        echo "lab: the Jupyter options or configuration (jupyter --config-dir) set an empty token and no password;" \
             "as root ConvKit serves only with a login: remove that setting, or set JUPYTER_TOKEN" >&2
        exit 1
    fi
    args+=(--allow-root)
fi
cd "${CONVKIT_LAB_DIR:-$repo/notebooks}"
JUPYTER_PATH="$repo/build/jupyter${JUPYTER_PATH:+:$JUPYTER_PATH}" exec jupyter notebook "${args[@]}" "$@"
