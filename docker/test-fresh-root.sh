#!/usr/bin/env bash
# Builds a course image's Dockerfile without a Docker engine and checks the result the way a learner uses it:
#   1. lints the Dockerfiles (dockerfile-utils from npm, plus the course's own rules) and the compose file;
#   2. makes a fresh minimal Debian bookworm root with debootstrap (standing in for the slim base image; the
#      debootstrapped base is kept in the work folder like a pulled image, FRESH_BASE=1 makes it again);
#   3. replays the Dockerfile's final stage in it: every RUN, COPY, USER, ENV, ARG and WORKDIR, in order, RUN
#      commands verbatim as the user the Dockerfile names (so environment/install.sh runs as the non-root
#      learner, downloading every jar from Maven Central: this machine's ~/.m2 is not used);
#   4. "starts the container" in its own network namespace: ENTRYPOINT + CMD as the image's user, waits for the
#      HEALTHCHECK command, checks the token (wrong 403, right 200, none 403, empty -> a generated one), that an
#      empty work volume gets the lessons, then runs notebooks/00-setup.ipynb with environment/run_course.py;
#   5. for Dockerfile.gpu (no GPU here): checks 00-setup falls back to the CPU with a message, also with a fake
#      nvidia-smi that reports an unsupported GPU (compute capability 9.0).
# Needs root (debootstrap, chroot, mounts; it installs debootstrap and the other tools it uses with apt-get),
# about 2.5 GB in /var/tmp, Debian's mirror, Maven Central, npm.
# Took 15.5 (Dockerfile.gpu) to 17.5 minutes (Dockerfile) on 2 busy cores, about 4 more with a new debootstrap
# base; the log times each step.
#
#   sudo docker/test-fresh-root.sh                        docker/Dockerfile
#   sudo docker/test-fresh-root.sh docker/Dockerfile.gpu
#   CONVKIT_FRESH=/var/tmp/convkit-fresh (work folder: root, package cache, log)   KEEP=1 keeps the root
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dockerfile=$(realpath "${1:-$repo/docker/Dockerfile}")
work=${CONVKIT_FRESH:-/var/tmp/convkit-fresh}
name=$(basename "$dockerfile" | tr 'A-Z.' 'a-z-')
root="$work/root-$name"
log="$work/test-$name.log"
start_time=$(date +%s)
say() { printf '[%4ds] %s\n' $(( $(date +%s) - start_time )) "$*"; }
fail() { say "FAILED: $*"; exit 1; }

# --- the tools it needs: installed with apt-get when root, else the exact command is printed --------------------
have() { command -v "$1" >/dev/null || [ -x "/usr/sbin/$1" ] || [ -x "/sbin/$1" ]; }   # sbin: not on a user's PATH
need=()
have debootstrap || need+=(debootstrap)
[ -s /usr/share/keyrings/debian-archive-keyring.gpg ] || need+=(debian-archive-keyring)   # debootstrap checks with it
have npm || need+=(npm)
have ip || need+=(iproute2)
have mount || need+=(mount)
{ have unshare && have findmnt && have chroot; } || need+=(util-linux coreutils)
[ -x /usr/bin/python3 ] || need+=(python3)
if [ ${#need[@]} -gt 0 ]; then
    if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
        echo "test-fresh-root: missing packages: ${need[*]}. Install them, then run this again (as root):
    sudo apt-get update && sudo apt-get install -y --no-install-recommends ${need[*]}" >&2
        exit 1
    fi
    echo "test-fresh-root: installing Debian packages: ${need[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
[ "$(id -u)" -eq 0 ] || { echo "run as root: it needs debootstrap, chroot and mounts" >&2; exit 1; }
mkdir -p "$work"
exec > >(tee "$log") 2>&1
say "testing $dockerfile in a fresh Debian root ($root); log: $log"

# --- clean-up: stop what this script started in the root, unmount, remove the root ---------------------------
mounted=()
finished=""
cleanup() {
    local rc=$?
    set +e
    # Any process still running inside the root (a kernel the runner left) is ours: end it by its id.
    for proc in /proc/[0-9]*; do
        [ "$(readlink "$proc/root" 2>/dev/null)" = "$root" ] && kill "${proc#/proc/}" 2>/dev/null
    done
    sleep 1
    for (( i=${#mounted[@]}-1; i>=0; i-- )); do
        umount "${mounted[i]}" 2>/dev/null || umount -l "${mounted[i]}"
    done
    if findmnt -rn -o TARGET | grep -q "^$root/"; then
        say "mounts under $root remain; not removing it"
    elif [ -z "${KEEP:-}" ] && [ -d "$root" ]; then
        rm -rf --one-file-system "$root"
    fi
    say "$([ $rc -eq 0 ] && [ -n "$finished" ] && echo PASSED || echo "FAILED (exit $rc)") in $(( $(date +%s) - start_time )) s; log: $log"
}
trap cleanup EXIT
mount_in_root() {  # type-or-bind source target
    mkdir -p "$root/$3"
    if [ "$1" = bind ]; then mount --bind "$2" "$root/$3"; else mount -t "$1" "$2" "$root/$3"; fi
    mounted+=("$root/$3")
}

# --- 1. lint -----------------------------------------------------------------------------------------------------
say "1. lint: dockerfile-utils and the course's rules"
lint="$work/lint/node_modules/.bin/dockerfile-utils"
[ -x "$lint" ] || (mkdir -p "$work/lint" && cd "$work/lint" && npm install --silent --no-audit --no-fund dockerfile-utils@0.16.3 >/dev/null)
for file in "$repo/docker/Dockerfile" "$repo/docker/Dockerfile.gpu"; do
    "$lint" lint "$file" || fail "dockerfile-utils: $file"
    flat=$(sed -e ':a' -e '/\\$/N; s/\\\n//; ta' "$file")
    for image in $(awk '$1 == "FROM" {print $2}' <<<"$flat"); do
        [[ "$image" =~ @sha256:[0-9a-f]{64}$ || ( "${image##*/}" =~ :.*[0-9] && "$image" != *:latest ) ]] \
            || fail "$file: FROM $image is not pinned (name an exact tag with a version, or a digest)"
    done
    [ "$(grep -E '^USER ' <<<"$flat" | tail -1 | awk '{print $2}')" = learner ] || fail "$file: the last USER must be learner"
    grep -q '^HEALTHCHECK ' <<<"$flat" || fail "$file: no HEALTHCHECK"
    grep -q '^CMD .*docker/start-notebook.sh' <<<"$flat" || fail "$file: CMD must be docker/start-notebook.sh"
    grep -q 'CONVKIT_NO_APT=1 .*environment/install.sh' <<<"$flat" || fail "$file: must run environment/install.sh"
    grep -q 'docker/packages.txt' <<<"$flat" || fail "$file: must install docker/packages.txt"
done
! grep -rn --exclude=test-fresh-root.sh -e '--allow-root' -e 'App.token=' "$repo/docker" "$repo/binder" \
    || fail "a file above lets Jupyter run as root or sets its token on the command line"
grep -v '^#' "$repo/docker/packages.txt" | grep -v '^$' | grep -v '=' && fail "docker/packages.txt: a package without =version"
if command -v docker-compose >/dev/null; then
    # docker-compose 1.x (Debian) knows every key but the top-level name of Compose v2.
    (cd "$repo/docker" && grep -v '^name:' compose.yaml | docker-compose -p convkit -f - config -q) || fail "docker/compose.yaml"
    say "   docker/compose.yaml: valid (docker-compose $(docker-compose version --short))"
else
    say "   docker/compose.yaml: not validated (apt-get install docker-compose to do it)"
fi

# --- 2. a fresh Debian root ------------------------------------------------------------------------------------
mirror=$(awk '/^URIs:/ && /debian\/?$/ {print $2; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null)
mirror=${mirror:-http://deb.debian.org/debian}
security=$(awk '/^URIs:/ && /debian-security\/?$/ {print $2; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null)
security=${security:-http://deb.debian.org/debian-security}
[ -d "$root" ] && { findmnt -rn -o TARGET | grep -q "^$root/" && fail "$root has mounts from an earlier run"; rm -rf --one-file-system "$root"; }
# The base root is kept like a pulled base image (FRESH_BASE=1 makes it again); everything after is rebuilt.
base="$work/bookworm-minbase-root.tar"
if [ -s "$base" ] && [ -z "${FRESH_BASE:-}" ]; then
    say "2. fresh root from the debootstrap base made $(date -r "$base" '+%F %H:%M') ($base)"
    mkdir -p "$root" && tar -C "$root" -xf "$base"
else
    say "2. debootstrap bookworm (minbase) from $mirror"
    mkdir -p "$work/debs"
    debootstrap --variant=minbase --cache-dir="$work/debs" bookworm "$root" "$mirror" > "$work/debootstrap.log" 2>&1 \
        || { tail -20 "$work/debootstrap.log"; fail "debootstrap"; }
    tar -C "$root" -cf "$base.tmp" . && mv "$base.tmp" "$base"
fi
# As the slim image: no documentation or man pages installed, and the same apt sources.
rm -rf "$root"/usr/share/man/* "$root/etc/apt/sources.list"
cat > "$root/etc/dpkg/dpkg.cfg.d/docker-slim" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/lintian/*
EOF
cat > "$root/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $mirror
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
cp /etc/resolv.conf "$root/etc/resolv.conf"
# This host reaches the internet through a TLS-inspecting proxy whose CA it trusts in
# /usr/local/share/ca-certificates; the root trusts the same (ca-certificates adds them when it installs), as a
# Docker build on this host would have to. The Dockerfiles themselves add no certificate.
mkdir -p "$root/usr/local/share/ca-certificates"
cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/" 2>/dev/null \
    && say "   local CAs of this host trusted in the root: $(ls /usr/local/share/ca-certificates | tr '\n' ' ')"
mount_in_root proc proc /proc
mount_in_root sysfs sys /sys
mount_in_root bind /dev /dev
mount_in_root bind /dev/pts /dev/pts
mount_in_root tmpfs shm /dev/shm

# The build context, as Docker sends it: the working tree less .dockerignore.
context="$root/tmp/context"
mkdir -p "$context"
excludes=()
while read -r pattern; do [ -n "$pattern" ] && excludes+=("--exclude=${pattern#\*\*/}"); done < <(grep -v '^#' "$repo/.dockerignore")
tar -C "$repo" "${excludes[@]}" -cf - . | tar -C "$context" -xf -

# --- 3. replay the Dockerfile ----------------------------------------------------------------------------------
say "3. replaying $(basename "$dockerfile") in the root"
# The translator prints a bash script (run inside the root as root) and, on fd 3, the container's start settings.
/usr/bin/python3 - "$dockerfile" > "$root/tmp/build.sh" 3> "$work/container-$name.env" <<'PYTHON'
import json, os, re, shlex, sys
lines = open(sys.argv[1]).read().replace("\\\n", " ").splitlines()
instructions = [l.strip() for l in lines if l.strip() and not l.strip().startswith("#")]
last_from = max(i for i, l in enumerate(instructions) if l.upper().startswith("FROM "))
user, workdir, env, shell = "root", "/", {}, ["/bin/sh", "-c"]
start = {}
out = ["set -e", "export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]
def run(command):
    home = "/root" if user == "root" else f"$(getent passwd {user} | cut -d: -f6)"
    assigns = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
    out.append(f"echo {shlex.quote('>>> RUN (' + user + ') ' + command[:140])}")
    out.append(f"mkdir -p {shlex.quote(workdir)} && cd {shlex.quote(workdir)} && runuser -u {user} -- env -i "
               f"PATH=$PATH HOME={home} {assigns} {' '.join(map(shlex.quote, shell))} {shlex.quote(command)}")
for text in instructions[last_from + 1:]:
    keyword, _, rest = text.partition(" ")
    keyword = keyword.upper()
    if keyword == "SHELL":
        shell = json.loads(rest)
    elif keyword == "RUN":
        run(rest)
    elif keyword in ("ENV", "ARG"):
        for k, v in re.findall(r'(\w+)=("[^"]*"|\S+)', rest):
            if keyword == "ENV" or k not in env:
                env[k] = v.strip('"')
    elif keyword == "USER":
        user = rest.strip()
    elif keyword == "WORKDIR":
        workdir = rest.strip()
    elif keyword == "COPY":
        args = shlex.split(rest)
        options = [a for a in args if a.startswith("--")]
        paths = [a for a in args if not a.startswith("--")]
        if any(o.startswith("--from=") for o in options):
            out.append(f"echo {shlex.quote('>>> skipped (no such image here): COPY ' + rest)}")
            continue
        *sources, dest = paths
        out.append(f"echo {shlex.quote('>>> COPY ' + rest)}")
        out.append(f"mkdir -p {shlex.quote(dest if dest.endswith('/') or sources == ['.'] else os.path.dirname(dest))}")
        for src in sources:
            out.append(f"cp -a {'/tmp/context/.' if src == '.' else shlex.quote('/tmp/context/' + src)} {shlex.quote(dest)}")
        chown = [o.split("=", 1)[1] for o in options if o.startswith("--chown=")]
        if chown:
            out.append(f"chown -R {shlex.quote(chown[0])} {shlex.quote(dest)}")
    elif keyword in ("ENTRYPOINT", "CMD"):
        start[keyword] = json.loads(rest)
    elif keyword == "HEALTHCHECK":
        start[keyword] = json.loads(rest[rest.index("CMD") + 3:].strip())
    elif keyword in ("VOLUME", "EXPOSE"):
        start[keyword] = rest
    else:
        sys.exit(f"test-fresh-root: cannot replay {keyword}")
print("\n".join(out))
start.update(USER=user, WORKDIR=workdir, ENV=env)
os.write(3, json.dumps(start).encode())
PYTHON
say "   $(grep -c '^mkdir -p .* runuser' "$root/tmp/build.sh") RUN steps; build script: $root/tmp/build.sh"
chroot "$root" /bin/bash /tmp/build.sh || fail "the Dockerfile's build failed in the fresh root (see above)"
say "   built; $(chroot "$root" dpkg-query -W | wc -l) Debian packages, $(du -sh --exclude=proc --exclude=sys --exclude=dev "$root" | cut -f1) in the root"
say "   pinned packages as installed:"
grep -v '^#' "$repo/docker/packages.txt" | grep -v '^$' | cut -d= -f1 | xargs chroot "$root" dpkg-query -W | sed 's/^/     /'
chroot "$root" runuser -u learner -- ls -ld /home/learner/.m2 2>/dev/null && fail "~/.m2 left in the image"

# --- 4. start the container and use it -----------------------------------------------------------------------
say "4. starting the container (own network namespace, as $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["USER"])' "$work/container-$name.env"))"
cat > "$root/tmp/container.sh" <<'EOF'
#!/bin/bash
# Runs inside `unshare --net` on the host, like a container with its own loopback; $1 = start settings (json).
set -euo pipefail
ip link set lo up
root=$2
settings() { /usr/bin/python3 -c 'import json, shlex, sys; s = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"; }
user=$(settings "$1" "s['USER']")
workdir=$(settings "$1" "s['WORKDIR']")
envs=$(settings "$1" "' '.join(k + '=' + v for k, v in s['ENV'].items())")
start_cmd=$(settings "$1" "' '.join(s.get('ENTRYPOINT', []) + s['CMD'])")
health=$(settings "$1" "' '.join(shlex.quote(a) for a in s['HEALTHCHECK'])")
cat > "$root/tmp/http_status.py" <<'PY'
import sys, urllib.error, urllib.request
try:
    print(urllib.request.urlopen(sys.argv[1], timeout=5).status)
except urllib.error.HTTPError as e:
    print(e.code)
PY
in_root() {  # runs a command in the root as the image's user, with the image's environment
    chroot "$root" runuser -u "$user" -- env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        HOME="/home/$user" $envs bash -c "cd $workdir && $*"
}
status() { in_root "python3 /tmp/http_status.py '$1'"; }  # url -> HTTP status, asked from inside
wait_healthy() {
    for _ in $(seq 60); do in_root "$health" 2>/dev/null && return 0; sleep 2; done
    echo "HEALTHCHECK never passed"; return 1
}
launch() {  # token -> starts the image's CMD in the background
    chroot "$root" runuser -u "$user" -- env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        HOME="/home/$user" $envs JUPYTER_TOKEN="$1" bash -c "cd $workdir && exec $start_cmd" > "$root/tmp/notebook.log" 2>&1 &
    server=$!
}
stop() {  # ends the server started by launch and waits until its port is free
    kill "$server"; wait "$server" 2>/dev/null || true
    for _ in $(seq 30); do in_root "$health" 2>/dev/null || return 0; sleep 1; done
    echo "the notebook server did not stop"; return 1
}

echo "   an empty work volume: $workdir is emptied before the start"
find "$root$workdir" -mindepth 1 -delete
launch right-token-$$
wait_healthy
echo "   HEALTHCHECK ($health) passes"
[ -f "$root$workdir/00-setup.ipynb" ] || { echo "the lessons were not copied into the empty work volume"; exit 1; }
echo "   lessons copied into the empty volume: $(ls "$root$workdir" | tr '\n' ' ')"
for check in "wrong-token 403" "right-token-$$ 200"; do
    set -- $check
    got=$(status "http://127.0.0.1:8888/api/status?token=$1")
    echo "   GET /api/status?token=$1 -> $got (want $2)"
    [ "$got" = "$2" ] || exit 1
done
got=$(status "http://127.0.0.1:8888/api/status"); echo "   GET /api/status without a token -> $got (want 403)"; [ "$got" = 403 ]
got=$(status "http://127.0.0.1:8888/tree?token=right-token-$$"); echo "   GET /tree with the token -> $got (want 200)"; [ "$got" = 200 ]
stop
launch ""
wait_healthy
got=$(status "http://127.0.0.1:8888/api/status"); echo "   JUPYTER_TOKEN empty: GET /api/status without a token -> $got (want 403)"; [ "$got" = 403 ]
grep -oE '\?token=[0-9a-f]{48}' "$root/tmp/notebook.log" | head -1 | sed 's/^/   Jupyter generated and printed a token: /; s/=\(.\{6\}\).*/=\1.../'
grep -qE '\?token=[0-9a-f]{48}' "$root/tmp/notebook.log"
stop
echo "   running notebooks/00-setup.ipynb (environment/run_course.py --only 00 --strict)"
in_root "cd /opt/convkit && /usr/bin/python3 environment/run_course.py --only 00 --strict"
EOF
unshare --net --fork bash "$root/tmp/container.sh" "$work/container-$name.env" "$root" || fail "the container checks"
report="$root/opt/convkit/build/course/quick/report.md"
executed="$root/opt/convkit/build/course/quick/notebooks/00-setup.ipynb"
[ -s "$executed" ] || fail "no executed 00-setup notebook"
say "   00-setup executed; report:"
sed 's/^/     /' "$report"
say "   first outputs of the executed notebook:"
/usr/bin/python3 - "$executed" <<'PYTHON' | sed 's/^/     /'
import html, json, re, sys
nb = json.load(open(sys.argv[1]))
for cell in nb["cells"]:
    for out in cell.get("outputs", []):
        data = out.get("data", {})
        text = "".join(out.get("text", "")) or "".join(data.get("text/plain", "")) or html.unescape(re.sub(
            r"<script.*?</script>|<style.*?</style>|<[^>]+>", " ", "".join(data.get("text/html", "")), flags=re.S))
        if text.split():
            print(f"[{cell.get('execution_count')}] {' '.join(text.split())[:220]}")
PYTHON

# --- 5. the GPU image on a machine without a (supported) GPU ----------------------------------------------------
if [ -d "$root/opt/convkit/build/classpath/gpu" ]; then
    say "5. GPU classpath present ($(ls "$root/opt/convkit/build/classpath/gpu" | grep -c 'cuda') CUDA jars): the kernel must fall back to the CPU"
    grep -q 'no NVIDIA GPU found' "$executed" || fail "00-setup does not say it fell back to the CPU without a GPU"
    say "   without a GPU: $(grep -o 'no NVIDIA GPU found[^"\\<]*' "$executed" | head -1)"
    printf '#!/bin/sh\necho "NVIDIA H100 80GB HBM3, 9.0"\n' > "$root/usr/local/bin/nvidia-smi"
    chmod +x "$root/usr/local/bin/nvidia-smi"
    unshare --net --fork bash -c 'ip link set lo up && chroot "$1" runuser -u learner -- env -i HOME=/home/learner \
        PATH=/usr/local/bin:/usr/bin:/bin bash -c "cd /opt/convkit && /usr/bin/python3 environment/run_course.py --only 00 --strict"' \
        _ "$root" || fail "00-setup with an unsupported GPU"
    grep -q 'newer than DL4J' "$executed" || fail "00-setup does not explain the unsupported GPU"
    say "   fake H100: $(grep -o 'NVIDIA H100[^"\\<]*' "$executed" | head -1)"
    rm -f "$root/usr/local/bin/nvidia-smi"
fi
finished=yes
