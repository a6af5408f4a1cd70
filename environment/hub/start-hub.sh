#!/usr/bin/env bash
# Serves the course to a classroom with JupyterHub (make hub): each learner logs in with their Unix password
# and gets their own Notebook server, kernel and copy of the lessons; see environment/hub/jupyterhub_config.py.
#   CONVKIT_HUB_ADDRESS   where the hub listens (127.0.0.1; 0.0.0.0 opens it to the network: put HTTPS in front)
#   CONVKIT_HUB_PORT      its port (8000)
#   CONVKIT_HUB_GROUP     the Unix group whose members may log in (learners)
#   CONVKIT_HUB_MEMORY    the memory bound per learner (3G; none for no bound)
#   CONVKIT_HUB_ADMINS    comma-separated users who may manage the others' servers
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
state="$repo/build/hub"
fail() { printf '\033[31mhub:\033[0m %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || fail "the hub must run as root: it checks the learners' Unix passwords and starts each learner's server as that learner. Run: sudo make hub"

need=()
command -v jupyterhub >/dev/null || need+=(jupyterhub)
command -v configurable-http-proxy >/dev/null || need+=(node-configurable-http-proxy)
if [ ${#need[@]} -gt 0 ]; then
    command -v apt-get >/dev/null || fail "missing packages: ${need[*]}. Install them (Debian: apt-get install -y ${need[*]})"
    echo "hub: installing Debian packages: ${need[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# Debian's configurable-http-proxy needs its modules from /usr/share/nodejs, where Debian's node looks by itself
# and other builds of node (NodeSource) do not.
export NODE_PATH="/usr/share/nodejs:/usr/lib/nodejs${NODE_PATH:+:$NODE_PATH}"

# Every learner's server reads the kit (lessons, classpath, kernel launcher) from this checkout.
for dir in "$repo" "$repo/build/jupyter" "$repo/build/classpath" "$repo/notebooks"; do
    [ -d "$dir" ] || fail "$dir is missing; run make setup first"
done
probe=$repo
while [ "$probe" != / ]; do
    perms=$(stat -c %A "$probe")
    [ "${perms:9:1}" = x ] || [ "${perms:9:1}" = t ] || fail "learners cannot reach the kit: $probe is not searchable by others (mode $perms). Allow it (chmod o+x $probe) or clone the kit where everyone can read it, such as /opt/convkit"
    probe=$(dirname "$probe")
done

mkdir -p "$state"
chmod 700 "$state"
# One hub per checkout: its database and cookie secret live in build/hub.
exec 9>"$state/hub.lock"
if ! flock -n 9; then
    fail "a ConvKit hub is already running from this checkout (pid $(cat "$state/hub.pid" 2>/dev/null || echo unknown), $(cat "$state/hub.url" 2>/dev/null)). Use that one, or stop it first: kill $(cat "$state/hub.pid" 2>/dev/null || echo '<pid>')"
fi
# A proxy left by a hub of this checkout that died (JupyterHub starts it in a session of its own) holds the ports;
# this checkout's lock is ours, so it is stopped, as JupyterHub itself would.
if [ -s "$state/jupyterhub-proxy.pid" ]; then
    stale=$(cat "$state/jupyterhub-proxy.pid")
    if grep -qs configurable-http-proxy "/proc/$stale/cmdline"; then
        echo "hub: stopping the proxy a previous hub left running (pid $stale)"
        kill "$stale" 2>/dev/null || true
        sleep 1
    fi
    rm -f "$state/jupyterhub-proxy.pid"
fi
port=${CONVKIT_HUB_PORT:-8000}
for taken in "$port" $(( port + 1 )) $(( port + 81 )); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$taken") 2>/dev/null; then
        fail "port $taken is in use (another hub or server; the hub needs $port, $(( port + 1 )) and $(( port + 81 ))). Stop that program, or choose other ports: CONVKIT_HUB_PORT=$(( port + 100 )) make hub"
    fi
done
echo $$ > "$state/hub.pid"
echo "http://${CONVKIT_HUB_ADDRESS:-127.0.0.1}:${CONVKIT_HUB_PORT:-8000}" > "$state/hub.url"
echo "hub: serving the course on $(cat "$state/hub.url") to the members of the group '${CONVKIT_HUB_GROUP:-learners}' (state in $state; Ctrl-C stops it)"
cd "$state"
exec jupyterhub -f "$repo/environment/hub/jupyterhub_config.py"
