#!/usr/bin/env bash
# make bench: DL4J through ConvKit against PyTorch, in the same run on the same machine and thread count.
# Writes build/bench/*.txt (raw key=value measurements) and build/bench/bench.md (the table), and prints the table.
# BENCH_SECONDS (default 6) is how long each throughput is measured; BENCH_THREADS (default: all cores) the threads.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out="$repo/build/bench"
python=/usr/bin/python3
cd "$repo"
mkdir -p "$out"
rm -f "$out"/*.txt "$out/bench.md"
"$python" -c 'import torch' 2>/dev/null || { echo "bench: PyTorch is missing; install it with: sudo apt-get install python3-torch" >&2; exit 1; }

export BENCH_THREADS=${BENCH_THREADS:-$(nproc)}
echo "bench: compiling the DL4J side (lib test sources)"
mvn -q -B -o -pl lib test-compile 2>/dev/null || mvn -q -B -pl lib test-compile
classpath="lib/target/test-classes:lib/target/classes:$(ls build/classpath/cpu/*.jar | grep -v '/convkit-' | tr '\n' ':')"
bench_java() { java $(environment/kernel/convkit-kernel --jvm-flags) -cp "$classpath" convkit.bench.Bench "$@"; }

echo "before=$(cut -d' ' -f1 /proc/loadavg)" > "$out/load.txt"
echo "bench: kernel start to first trained batch"
"$python" environment/bench_kernel.py "$out/kernel.txt"
echo "bench: PyTorch ($BENCH_THREADS threads)"
"$python" environment/bench_torch.py speed "$out/torch.txt"
"$python" environment/bench_torch.py memory "$out/torch-memory.txt"
echo "bench: DL4J ($BENCH_THREADS threads)"
bench_java speed "$out/dl4j.txt"
bench_java memory "$out/dl4j-memory.txt"
echo "after=$(cut -d' ' -f1 /proc/loadavg)" >> "$out/load.txt"
"$python" environment/bench_report.py "$out"
