#!/usr/bin/env python3
"""Summarises an async-profiler collapsed-stack file: where the training time goes.

    python3 environment/profile_report.py build/profile/mlp_b32.collapsed

Prints the share of samples by what a frame is (oneDNN, OpenBLAS GEMM, libnd4j ops, the JVM's garbage collector and
compiler, JavaCPP/JNI crossings, DL4J's Java code, ConvKit's) and the frames with the most samples of their own.
"""
import collections
import sys

# First match wins, tested on the frame that has the sample (the leaf), then on the stack for Java-side causes.
KINDS = [
    ("oneDNN (convolution, pooling, batch norm kernels)", ("dnnl", "mkldnn", "jit_avx", "jit_sse", "jit_uni", "brgemm")),
    ("OpenBLAS GEMM", ("sgemm", "gemm_", "openblas", "blas_thread", "exec_blas", "_kernel_", "inner_thread")),
    ("OpenMP threads waiting or spinning", ("gomp", "omp_", "__kmp", "sched_yield", "futex")),
    ("libnd4j ops (element-wise, reductions, transforms)", ("sd::", "nd4j", "functions::", "simdOps", "samediff", "execTransform", "execReduce", "execPairwise", "execScalar", "execBroadcast")),
    ("memory (malloc, memset, memcpy, page faults)", ("malloc", "free", "memset", "memcpy", "memmove", "cfree", "_int_", "clear_page", "page_fault", "mmap", "munmap")),
    ("JVM: garbage collection", ("G1", "GC", "gc_", "Parallel", "Scavenge", "CardTable")),
    ("JVM: compiler and runtime", ("C2Compiler", "Compile::", "C1", "Interpreter", "CompileBroker", "SharedRuntime", "OptoRuntime")),
    ("JavaCPP / JNI crossings and pointers", ("org/bytedeco", "org.bytedeco", "Pointer", "JNI", "jni_")),
]


def kind(frames):
    thread, leaf = frames[0], frames[-1]
    if "Compiler" in thread or thread.startswith("[C1") or thread.startswith("[C2"):
        return "JVM: JIT compiler threads"
    if "GC" in thread or "G1" in thread:
        return "JVM: garbage collector threads"
    if leaf.endswith("_[k]"):
        return "operating system (scheduling, page faults, system calls)"
    for name, marks in KINDS:
        if any(m in leaf for m in marks):
            return name
    if leaf.endswith("_[j]") or "/" in leaf or "." in leaf:
        for frame in reversed(frames):
            if "convkit" in frame:
                return "ConvKit's Java code"
        if any("deeplearning4j" in f for f in frames) or any("org/nd4j" in f or "org.nd4j" in f for f in frames):
            return "DL4J/ND4J Java code (layers, workspaces, updater, listeners)"
        return "other Java code"
    return "other native code (" + leaf[:60] + ")"


def main(path):
    by_kind = collections.Counter()
    by_leaf = collections.Counter()
    callers = collections.Counter()
    threads = collections.Counter()
    total = 0
    with open(path) as f:
        for line in f:
            stack, _, count = line.rstrip("\n").rpartition(" ")
            if not stack:
                continue
            n = int(count)
            frames = stack.split(";")
            threads[frames[0]] += n
            total += n
            by_kind[kind(frames)] += n
            by_leaf[frames[-1]] += n
            # the deepest DL4J/ND4J Java frame above the leaf: which Java call led to the work
            for frame in reversed(frames):
                if ("deeplearning4j" in frame or "org/nd4j" in frame or "org.nd4j" in frame) and "bytedeco" not in frame:
                    callers[frame] += n
                    break
    if total == 0:
        print("profile: no samples in", path)
        return
    print(f"profile: {total} samples")
    sections = [
        ("where the time goes (share of samples by the frame that has the sample)", by_kind, 14),
        ("threads", threads, 8),
        ("frames with the most samples of their own", by_leaf, 20),
        ("the DL4J/ND4J Java calls the time is spent under (deepest Java frame)", callers, 15),
    ]
    for title, counts, rows in sections:
        print(f"\n{title}:")
        for name, n in counts.most_common(rows):
            print(f"  {100 * n / total:5.1f}%  {name[:140]}")

if __name__ == "__main__":
    main(sys.argv[1])
