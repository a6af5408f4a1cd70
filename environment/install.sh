#!/usr/bin/env bash
# Sets up everything ConvKit needs, idempotently: Debian packages, the helper library and its
# DL4J classpath, plotly.js, the Java kernel and its kernelspec "Java (ConvKit)".
# Used by `make setup` (and so by `make run`, `make test`, CI), the Docker images and Binder.
#
#   environment/install.sh            CPU classpath (default)
#   GPU=1 environment/install.sh      also the CUDA 11.6 classpath, used when a supported GPU is present
#   CONVKIT_NO_APT=1 ...              never call apt-get (images that installed packages already)
#   CONVKIT_NO_BROWSER=1 ...          skip Chromium and the browser check's tools (Binder, Docker)
#   CONVKIT_NO_USER_KERNEL=1 ...      keep the kernelspec in build/jupyter only (a second checkout)
#   CONVKIT_BENCH=1 ...               also PyTorch and OpenBLAS, the peer that make bench compares with
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build="$repo/build"
kernel_version=3.0.1
plotly_version=2.35.3
playwright_version=1.49.1
say() { printf '\033[1msetup:\033[0m %s\n' "$*"; }
fail() { printf '\033[31msetup failed:\033[0m %s\n' "$*" >&2; exit 1; }

# --- JDK 17+ and Maven -------------------------------------------------------------------------
command -v java >/dev/null || fail "no 'java' on PATH. Install JDK 17 or newer: sudo apt-get install openjdk-17-jdk-headless"
java_major=$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
java_major=${java_major#1.}
if [ -z "$java_major" ] || [ "$java_major" -lt 17 ]; then
    fail "Java $java_major is too old: ConvKit needs JDK 17 or newer. Install it (sudo apt-get install openjdk-17-jdk-headless) and put it first on PATH or set JAVA_HOME."
fi
command -v javac >/dev/null || fail "'java' is a JRE without 'javac'. Install the JDK: sudo apt-get install openjdk-17-jdk-headless"

# --- the tools this script and the course runner use -------------------------------------------
# Checked by what they provide, not by package name, so Jupyter from pip or conda (Binder) counts too;
# anything missing is named by its Debian package.
py=/usr/bin/python3
[ -x "$py" ] || py=$(command -v python3 || echo /usr/bin/python3)
need=()
command -v mvn >/dev/null || need+=(maven)
command -v jupyter-notebook >/dev/null || need+=(jupyter-notebook)
command -v jupyter-kernelspec >/dev/null || need+=(jupyter-client)
"$py" -c 'import nbclient, nbconvert' 2>/dev/null || need+=(python3-nbclient jupyter-nbconvert)
command -v npm >/dev/null || need+=(nodejs npm)
# lesson 07 trains on Fashion-MNIST in every mode, offline: the Debian package carries the files
[ -d /usr/share/datasets/fashion-mnist ] || need+=(dataset-fashion-mnist)
if [ -z "${CONVKIT_NO_BROWSER:-}" ]; then
    command -v chromium >/dev/null || need+=(chromium)
fi
# make bench (CONVKIT_BENCH=1) also needs its peer, PyTorch, on an optimized BLAS: Debian's python3-torch calls
# whatever libblas.so.3 points to, and the reference BLAS it falls back to is about 100x slower at GEMM.
if [ -n "${CONVKIT_BENCH:-}" ]; then
    "$py" -c 'import torch' 2>/dev/null || need+=(python3-torch)
    ls /usr/lib/*/openblas-pthread/libblas.so.3 >/dev/null 2>&1 || need+=(libopenblas0-pthread)
fi
if [ ${#need[@]} -gt 0 ]; then
    if [ -n "${CONVKIT_NO_APT:-}" ] || ! command -v apt-get >/dev/null; then
        fail "missing packages: ${need[*]}. Install them with: sudo apt-get install -y ${need[*]}"
    fi
    if [ "$(id -u)" -ne 0 ]; then
        fail "missing packages: ${need[*]}. Install them (this needs root), then run this again:
    sudo apt-get update && sudo apt-get install -y ${need[*]}"
    fi
    say "installing Debian packages: ${need[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

# --- the helper library and its runtime classpath ----------------------------------------------
mkdir -p "$build"
cd "$repo"
say "building the helper library (lib/)"
mvn -q -B -DskipTests package
classpath() {  # $1 = cpu|gpu
    local dir="$build/classpath/$1"
    rm -rf "$dir.tmp" && mkdir -p "$dir.tmp"
    mvn -q -B -pl lib ${2:-} dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$dir.tmp"
    cp lib/target/convkit-*.jar "$dir.tmp/"
    rm -rf "$dir" && mv "$dir.tmp" "$dir"
}
say "collecting the CPU classpath (DL4J, ND4J natives with oneDNN)"
classpath cpu
if [ -n "${GPU:-}" ]; then
    say "collecting the GPU classpath (nd4j-cuda-11.6)"
    classpath gpu "-Pgpu"
else
    rm -rf "$build/classpath/gpu"
fi

say "fetching rapaio-jupyter-kernel $kernel_version"
mkdir -p "$build/kernel"
if [ ! -s "$build/kernel/rapaio-jupyter-kernel.jar" ]; then
    mvn -q -B dependency:copy -Dartifact="io.github.padreati:rapaio-jupyter-kernel:$kernel_version" \
        -DoutputDirectory="$build/kernel" -Dmdep.stripVersion=true
fi

# The kernel's start-up wrapper (environment/kernel/KernelStart.java: works around a race in the kernel).
mkdir -p "$build/kernel/start"
javac -d "$build/kernel/start" -cp "$build/kernel/rapaio-jupyter-kernel.jar" "$repo/environment/kernel/KernelStart.java"

# --- plotly.js and the browser check's driver, from the npm registry ----------------------------
if [ ! -s "$build/plotly/plotly.min.js" ]; then
    say "fetching plotly.js-dist-min $plotly_version"
    tmp=$(mktemp -d)
    (cd "$tmp" && npm pack --silent "plotly.js-dist-min@$plotly_version" >/dev/null && tar xzf plotly.js-dist-min-*.tgz)
    mkdir -p "$build/plotly"
    mv "$tmp/package/plotly.min.js" "$build/plotly/plotly.min.js.tmp"
    mv "$build/plotly/plotly.min.js.tmp" "$build/plotly/plotly.min.js"
    rm -rf "$tmp"
fi
if [ -z "${CONVKIT_NO_BROWSER:-}" ] && [ ! -d "$build/node/node_modules/playwright-core" ]; then
    say "fetching playwright-core $playwright_version (drives the system Chromium for the browser check)"
    mkdir -p "$build/node"
    (cd "$build/node" && npm install --silent --no-audit --no-fund "playwright-core@$playwright_version" >/dev/null)
fi

# --- the kernel: start-up script and kernelspec ------------------------------------------------
say "writing the kernelspec 'Java (ConvKit)'"
spec="$build/jupyter/kernels/convkit"
mkdir -p "$spec"
{
    echo "// Generated by environment/install.sh: the imports every lesson has (the kernel accepts only imports here)."
    jar tf lib/target/convkit-*.jar | sed -n 's#^\(convkit/[a-z]*\)/[A-Z][A-Za-z]*\.class$#\1#p' | sort -u \
        | sed 's#/#.#g; s#.*#import &.*;#'
    printf '%s\n' 'import org.nd4j.linalg.api.ndarray.INDArray;' 'import org.nd4j.linalg.factory.Nd4j;' \
        'import java.awt.image.BufferedImage;'

} > "$spec/init.jsh"
cp "$repo/environment/kernel/logo-64x64.png" "$spec/" 2>/dev/null || true
python_json() { "$py" -c 'import json,sys; print(json.dumps(sys.argv[1]))' "$1"; }
cat > "$spec/kernel.json" <<JSON
{
  "argv": ["bash", $(python_json "$repo/environment/kernel/convkit-kernel"), "{connection_file}"],
  "display_name": "Java (ConvKit)",
  "language": "java",
  "interrupt_mode": "message",
  "env": {
    "CONVKIT_HOME": $(python_json "$repo"),
    "RJK_INIT_SCRIPT": $(python_json "$spec/init.jsh"),
    "RJK_CLASSPATH": $(python_json "$(ls "$build"/classpath/cpu/*.jar | tr '\n' ';' | sed 's/;$//')"),
    "CONVKIT_PLOTLY_JS": $(python_json "$build/plotly/plotly.min.js")
  }
}
JSON
if [ -n "${CONVKIT_NO_USER_KERNEL:-}" ]; then
    say "done: kernel 'Java (ConvKit)' written to $spec (not installed for the user)"
    exit 0
fi
jupyter kernelspec install --user --name convkit "$spec" >/dev/null 2>&1 \
    || fail "jupyter kernelspec install failed; run: jupyter kernelspec install --user --name convkit $spec"
say "done: kernel 'Java (ConvKit)' installed ($(jupyter kernelspec list 2>/dev/null | awk '$1=="convkit"{print $2}'))"
