"""Joins the measurements of `make bench` (build/bench/*.txt, key=value lines) into one Markdown table:
DL4J through ConvKit against PyTorch on the same machine, with the targets. Prints it and writes build/bench/bench.md.

    python3 environment/bench_report.py build/bench
"""
import datetime
import os
import platform
import sys
from pathlib import Path


def read(path):
    values = {}
    if path.exists():
        for line in path.read_text().splitlines():
            if "=" in line:
                key, value = line.split("=", 1)
                values[key] = value
    return values


def best(folder, side):
    """Each measure's best over the rounds (side-round1.txt, side-round2.txt, ...): highest rate, as the least disturbed."""
    values = {}
    for path in sorted(folder.glob(f"{side}-round*.txt")):
        for key, value in read(path).items():
            old = number(values, key)
            new = number({key: value}, key)
            if key not in values or (old is not None and new is not None and new > old):
                values[key] = value
    return values


def number(values, key):
    try:
        return float(values[key])
    except (KeyError, ValueError):
        return None


def fmt(x, digits=0):
    return "n/a" if x is None else f"{x:,.{digits}f}"


def cpu_model():
    """The processor's name and which of AVX2 / AVX-512 it has (ND4J's natives and OpenBLAS's kernels depend on them)."""
    name, flags = platform.processor() or platform.machine(), set()
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            name = line.split(":", 1)[1].strip()
        elif line.startswith("flags"):
            flags = set(line.split(":", 1)[1].split())
    vector = [label for flag, label in (("avx2", "AVX2"), ("avx512f", "AVX-512")) if flag in flags]
    return f"{name} ({' and '.join(vector) or 'no AVX2'})"


def main():
    folder = Path(sys.argv[1])
    dl4j, torch = best(folder, "dl4j"), best(folder, "torch")
    dl4j.update(read(folder / "dl4j-memory.txt"))
    torch.update(read(folder / "torch-memory.txt"))
    kernel, load = read(folder / "kernel.txt"), read(folder / "load.txt")
    rows = []

    def compare(label, key, target=1.0):
        d, t = number(dl4j, key), number(torch, key)
        ratio = d / t if d and t else None
        verdict = "" if ratio is None else ("met" if ratio >= target else f"missed by {(1 - ratio / target) * 100:.0f}%")
        rows.append((label, fmt(d), fmt(t), "n/a" if ratio is None else f"{ratio:.2f}x", f">= {target:.1f}x: {verdict}"))

    for model, name in (("cnn", "Seed CNN"), ("mlp", "MLP 784-256-256-10")):
        for batch in (64, 128):
            compare(f"{name} training, batch {batch} (images/s)", f"{model}_train_b{batch}")
        for batch in (64, 128):
            compare(f"{name} inference, batch {batch} (images/s)", f"{model}_infer_b{batch}")
    gd, gt = number(dl4j, "gemm_gflops"), number(torch, "gemm_gflops")
    rows.append(("fp32 GEMM ceiling (GFLOP/s, best of n=256..2048)", fmt(gd, 1), fmt(gt, 1),
                 f"{gd / gt:.2f}x" if gd and gt else "n/a", ""))
    flops = number(dl4j, "cnn_flops_per_image_train")
    for batch in (64, 128):
        d, t = number(dl4j, f"cnn_train_b{batch}"), number(torch, f"cnn_train_b{batch}")
        fd = d * flops / 1e9 if d and flops else None
        ft = t * flops / 1e9 if t and flops else None
        share = lambda f, g: "n/a" if not f or not g else f"{f:.1f} ({f / g * 100:.0f}%)"
        verdict = "" if not fd or not gd else ("met" if fd / gd >= 0.6 else f"missed: {fd / gd * 100:.0f}%")
        rows.append((f"Seed CNN training b{batch}: GFLOP/s (share of own GEMM ceiling)", share(fd, gd), share(ft, gt),
                     "", f">= 60%: {verdict}"))
    md, mt = number(dl4j, "peak_rss_mb_cnn_b128"), number(torch, "peak_rss_mb_cnn_b128")
    rows.append(("Peak resident memory training the seed CNN, b128 (MiB)", fmt(md), fmt(mt),
                 f"{md / mt:.2f}x" if md and mt else "n/a", ""))
    first = number(kernel, "first_batch_s")
    rows.append(("Kernel start to first trained batch (s)", fmt(first, 1) + f" (kernel up {fmt(number(kernel, 'kernel_ready_s'), 1)},"
                 f" Course.start() done {fmt(number(kernel, 'course_start_s'), 1)})", "", "",
                 "<= 5 s: " + ("" if first is None else "met" if first <= 5 else f"missed by {first - 5:.1f} s")))
    pipeline, train = number(dl4j, "pipeline_mnist_b128"), number(dl4j, "cnn_train_b128")
    rows.append(("Data pipeline: ImageSet.batches(128), MNIST-shaped (images/s)", fmt(pipeline), "", "",
                 pipeline_verdict(pipeline, train, "seed CNN training b128")))
    png, train50 = number(dl4j, "pipeline_png50rgb"), number(dl4j, "cnn50rgb_train_b64")
    rows.append(("Data pipeline: 50x50 RGB PNG decode + Augmentation batches (images/s)", fmt(png), "", "",
                 pipeline_verdict(png, train50, "seed CNN training on 50x50x3 b64")))
    rows.append(("Seed CNN training on 50x50x3, batch 64 (images/s)", fmt(train50), fmt(number(torch, "cnn50rgb_train_b64")),
                 ratio_text(train50, number(torch, "cnn50rgb_train_b64")), ""))

    adam, adam_nd4j, adam_torch = (number(side, key) for side, key in
                                   ((dl4j, "adam_mlp_steps"), (dl4j, "adam_nd4j_mlp_steps"), (torch, "adam_mlp_steps")))
    rows.append(("Adam step on the MLP's 269,322 parameters (steps/s; DL4J: the kit's FastAdam)", fmt(adam), fmt(adam_torch),
                 ratio_text(adam, adam_torch), ""))
    rows.append(("The same step with ND4J's own Adam op (steps/s)", fmt(adam_nd4j), "", "",
                 "" if adam is None or adam_nd4j is None else f"FastAdam {adam / adam_nd4j:.1f}x of it"))
    rows.append(("BLAS", dl4j.get("blas", "?"), torch.get("blas", "?"), "", ""))
    lesson_lines = lesson_table(dl4j, torch)
    header = ("Measure", "DL4J (ConvKit)", f"PyTorch {torch.get('version', '?')}", "DL4J/PyTorch", "Target")
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    machine = (f"{cpu_model()}, {os.cpu_count()} cores, {dl4j.get('threads', '?')} threads for DL4J and "
                f"{torch.get('threads', '?')} for PyTorch, OMP_WAIT_POLICY={os.environ.get('OMP_WAIT_POLICY', 'unset')} for both; {platform.system()} {platform.release()}; "
               f"DL4J 1.0.0-M2.1, oneDNN {dl4j.get('onednn', '?')}; "
               f"load average {load.get('before', '?')} before, {load.get('after', '?')} after")
    rounds = len(list(folder.glob("dl4j-round*.txt")))
    text = (f"Benchmark of {datetime.date.today().isoformat()} (`make bench`): random MNIST-shaped data "
            f"(28x28x1, 10 classes), Adam, cross-entropy; training through `net.fit(set.batches(b, true, 42))` "
            f"as lessons call it. Best of {rounds} alternating round(s) per side.\n\nMachine: {machine}.\n\n" + "\n".join(lines) + "\n\n"
            f"FLOPs: {fmt(flops / 1e6 if flops else None, 1)} MFLOP per training image "
            f"(conv and dense multiply-adds x2, forward once and backward twice).\n\n"
            f"The lessons' own models at the lessons' batch sizes, training images/s on random data "
            f"(DL4J through `Training.of(net).livePlot(false).fit(set)` as the lessons call it, and raw `net.fit(set.batches(...))`):\n\n"
            + "\n".join(lesson_lines) + "\n\n"
            f"Two models trained at once, one thread each (lesson 06 trains its practice models so: ConvKit's `SideBySide` "
            f"in one JVM, PyTorch as two processes), all images of both per second, against one model alone on all threads:\n\n"
            + "\n".join(pair_table(dl4j, torch)) + "\n")
    (folder / "bench.md").write_text(text)
    print(text)


LESSON_WORKLOADS = (
    ("cnn_b32", "seed CNN, batch 32 (03)"),
    ("cnn_b256", "seed CNN, batch 256 (04)"),
    ("mlp_b32", "MLP 784-256-256-10, batch 32 (03)"),
    ("galaxy_tutorial_b3", "galaxy tutorial model 50x50x3, batch 3 (06)"),
    ("galaxy_practice1_b16", "galaxy practice model 1 50x50x3, batch 16 (06)"),
    ("galaxy_practice4w4_b16", "galaxy practice model 4 at width/4, batch 16 (06)"),
)


def lesson_table(dl4j, torch):
    """One row per lesson workload: PyTorch, DL4J raw and via Training, the ratio (target 1.0x) and Training's overhead (target 5%)."""
    lines = ["| workload (lesson) | PyTorch | DL4J raw `net.fit` | DL4J via `Training` | DL4J/PyTorch via `Training` | `Training` overhead over raw |",
             "|---|---|---|---|---|---|"]
    for key, label in LESSON_WORKLOADS:
        t, raw, via = number(torch, f"lesson_{key}"), number(dl4j, f"lesson_{key}_raw"), number(dl4j, f"lesson_{key}")
        ratio = via / t if via and t else None
        verdict = "" if ratio is None else (" (met)" if ratio >= 1 else f" (missed by {(1 - ratio) * 100:.0f}%)")
        overhead = f"{(raw / via - 1) * 100:+.0f}%" if raw and via else "n/a"
        lines.append(f"| {label} | {fmt(t)} | {fmt(raw)} | {fmt(via)} | {ratio_text(via, t)}{verdict} | {overhead} |")
    return lines


def pair_table(dl4j, torch):
    """One row per workload lesson 06 trains side by side: both sides alone and as a pair, and the ratios."""
    lines = ["| workload (lesson) | PyTorch alone | PyTorch, two at once | DL4J alone (`Training`) | DL4J, two at once (`SideBySide`) "
             "| DL4J/PyTorch, two at once | DL4J two at once / PyTorch alone |", "|---|---|---|---|---|---|---|"]
    for key, label in LESSON_WORKLOADS:
        t_pair, d_pair = number(torch, f"pair_{key}"), number(dl4j, f"pair_{key}")
        if t_pair is None and d_pair is None:
            continue
        t, via = number(torch, f"lesson_{key}"), number(dl4j, f"lesson_{key}")
        lines.append(f"| {label} | {fmt(t)} | {fmt(t_pair)} | {fmt(via)} | {fmt(d_pair)} | {ratio_text(d_pair, t_pair)} | {ratio_text(d_pair, t)} |")
    return lines


def pipeline_verdict(rate, train, what):
    if not rate or not train:
        return ""
    ratio = rate / train
    return f"{ratio:.1f}x {what}; >= 5x: " + ("met" if ratio >= 5 else f"missed by {(1 - ratio / 5) * 100:.0f}%")


def ratio_text(a, b):
    return f"{a / b:.2f}x" if a and b else "n/a"


if __name__ == "__main__":
    main()
