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
"$python" -c 'import torch' 2>/dev/null || { echo "bench: PyTorch is missing; install it with: sudo apt-get install python3-torch libopenblas0-pthread (make bench does this when run as root)" >&2; exit 1; }
# Debian's python3-torch calls whatever libblas.so.3 points to; on a fresh machine that is the reference BLAS,
# about 100x slower at GEMM than an optimized one, and the comparison would flatter DL4J. Refuse to measure that.
torch_blas=$("$python" environment/bench_torch.py blas)
echo "bench: PyTorch's BLAS: $torch_blas"
case "$torch_blas" in
    *openblas*|*mkl*|*blis*) ;;
    *) echo "bench: PyTorch would run on the reference BLAS ($torch_blas), not an optimized one; install OpenBLAS with:
    sudo apt-get install libopenblas0-pthread
(make bench does this when run as root), then run make bench again" >&2; exit 1 ;;
esac

export BENCH_THREADS=${BENCH_THREADS:-$(nproc)}
# Both sides get the OpenMP and malloc settings the ConvKit kernel runs with (environment/kernel/convkit-kernel).
eval "$(environment/kernel/convkit-kernel --env)"
export OMP_NUM_THREADS=$BENCH_THREADS
echo "bench: compiling the DL4J side (lib/src/test/java/convkit/bench) against the installed library"
libraries=$(ls build/classpath/cpu/*.jar | tr '\n' ':')
rm -rf "$out/classes"
javac -nowarn -d "$out/classes" -cp "$libraries" lib/src/test/java/convkit/bench/*.java
classpath="$out/classes:$libraries"
bench_java() { java $(environment/kernel/convkit-kernel --jvm-flags) -cp "$classpath" convkit.bench.Bench "$@"; }

echo "before=$(cut -d' ' -f1 /proc/loadavg)" > "$out/load.txt"
echo "bench: kernel start to first trained batch"
"$python" environment/bench_kernel.py "$out/kernel.txt" \
    || echo "bench: the kernel did not start (see above); the table shows n/a for start-up" >&2
# Rounds alternate PyTorch and DL4J and the table keeps each one's best, so a burst of load from other programs
# does not decide the comparison (BENCH_ROUNDS, default 3).
for round in $(seq 1 "${BENCH_ROUNDS:-3}"); do
    echo "bench: round $round, PyTorch ($BENCH_THREADS threads)"
    "$python" environment/bench_torch.py speed "$out/torch-round$round.txt"
    echo "bench: round $round, DL4J ($BENCH_THREADS threads)"
    bench_java speed "$out/dl4j-round$round.txt"
done
"$python" environment/bench_torch.py memory "$out/torch-memory.txt"
bench_java memory "$out/dl4j-memory.txt"
echo "after=$(cut -d' ' -f1 /proc/loadavg)" >> "$out/load.txt"
"$python" environment/bench_report.py "$out"
