"""PyTorch's side of `make bench`: the course's seed CNN and MLP layer for layer, Adam, cross-entropy, on the
same random MNIST-shaped data and thread count as the DL4J side (lib/src/test/java/convkit/bench/Bench.java).
Writes key=value lines with the same keys.

    python3 environment/bench_torch.py speed build/bench/torch.txt
    python3 environment/bench_torch.py memory build/bench/torch-memory.txt
    python3 environment/bench_torch.py blas      # prints the BLAS library PyTorch loads (bench.sh checks it)
"""
import os
import resource
import sys
import time

import torch
from torch import nn

SECONDS = float(os.environ.get("BENCH_SECONDS", "6"))


def seed_cnn(height, width, channels, classes):
    # ceil_mode=True is Keras' padding="same" for 2x2 pooling on odd sizes
    flat = 64 * -(-(-(-height // 2)) // 2) * -(-(-(-width // 2)) // 2)
    return nn.Sequential(
        nn.Conv2d(channels, 32, 3, padding=1), nn.ReLU(),
        nn.Conv2d(32, 32, 3, padding=1), nn.ReLU(),
        nn.MaxPool2d(2, ceil_mode=True), nn.Dropout(0.25),
        nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(),
        nn.Conv2d(64, 64, 3, padding=1), nn.ReLU(),
        nn.MaxPool2d(2, ceil_mode=True), nn.Flatten(),
        nn.Linear(flat, 256), nn.ReLU(),
        nn.Linear(256, 256), nn.ReLU(), nn.Dropout(0.5),
        nn.Linear(256, classes))


def conv_relu(channels_in, channels_out, padding):
    return [nn.Conv2d(channels_in, channels_out, 3, padding=padding), nn.ReLU()]


def galaxy_tutorial(size):
    """GalaxyModels.tutorial: Conv32 Conv64 (valid), MaxPool 2, Dense 128, Dense 3."""
    flat = 64 * ((size - 4) // 2) ** 2
    return nn.Sequential(*conv_relu(3, 32, 0), *conv_relu(32, 64, 0), nn.MaxPool2d(2), nn.Flatten(),
                         nn.Linear(flat, 128), nn.ReLU(), nn.Linear(128, 3))


def galaxy_practice1(size):
    """GalaxyModels.practice1: [Conv32 BN MP] [Conv32 Conv64 BN MP] [Conv64 Conv128 BN MP] (valid), GAP, Dense 3."""
    bn = lambda c: nn.BatchNorm2d(c, eps=1e-3, momentum=0.1)
    return nn.Sequential(*conv_relu(3, 32, 0), bn(32), nn.MaxPool2d(2),
                         *conv_relu(32, 32, 0), *conv_relu(32, 64, 0), bn(64), nn.MaxPool2d(2),
                         *conv_relu(64, 64, 0), *conv_relu(64, 128, 0), bn(128), nn.MaxPool2d(2),
                         nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(128, 3))


def galaxy_practice4(size, divisor):
    """GalaxyModels.practice4: five VGG-like blocks of 'same' convolutions, BN and MaxPool each, GAP, Dense 512 x2 + Dropout 0.3, Dense 3."""
    layers, channels = [], 3
    for block in ((64, 128), (128, 256), (256, 256, 512), (512, 512, 512), (512, 512, 512)):
        for filters in block:
            layers += conv_relu(channels, filters // divisor, 1)
            channels = filters // divisor
        layers += [nn.BatchNorm2d(channels, eps=1e-3, momentum=0.1), nn.MaxPool2d(2)]
    units = 512 // divisor
    return nn.Sequential(*layers, nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(channels, units), nn.ReLU(),
                         nn.Dropout(0.3), nn.Linear(units, units), nn.ReLU(), nn.Dropout(0.3), nn.Linear(units, 3))


# The lessons' own models at the lessons' batch sizes (issue 13); same keys, models and sizes as Bench.Workload:
# key, model, (channels, size), classes, batch, batches per pass.
LESSONS = (
    ("cnn_b32", lambda: seed_cnn(28, 28, 1, 10), (1, 28), 10, 32, 40),
    ("cnn_b256", lambda: seed_cnn(28, 28, 1, 10), (1, 28), 10, 256, 10),
    ("mlp_b32", lambda: mlp(28, 28, 1, 10), (1, 28), 10, 32, 200),
    ("galaxy_tutorial_b3", lambda: galaxy_tutorial(50), (3, 50), 3, 3, 50),
    ("galaxy_practice1_b16", lambda: galaxy_practice1(50), (3, 50), 3, 16, 30),
    ("galaxy_practice4w4_b16", lambda: galaxy_practice4(50, 4), (3, 50), 3, 16, 15),
)

# Lesson 06 trains these side by side (two or three models at once, one thread each on 2 cores).
PAIRS = ("galaxy_practice1_b16", "galaxy_practice4w4_b16")


def blas_library():
    """The BLAS shared library this process loaded for torch.mm (Debian's torch calls whatever libblas.so.3 points to)."""
    torch.mm(torch.rand(64, 64), torch.rand(64, 64))
    with open("/proc/self/maps") as maps:
        paths = {line.split()[-1] for line in maps if "blas" in line.lower() or "mkl" in line.lower()}
    found = sorted(os.path.realpath(p) for p in paths if p.startswith("/"))
    folders = sorted({os.path.dirname(p) for p in found})
    return "; ".join(f + ": " + ", ".join(os.path.basename(p) for p in found if os.path.dirname(p) == f)
                     for f in folders) if found else "built in"


def mlp(height, width, channels, classes):
    return nn.Sequential(nn.Flatten(), nn.Linear(height * width * channels, 256), nn.ReLU(),
                         nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, classes))


def rate(work):
    """Repeats work() (which returns how many items it did) for about SECONDS; items per second."""
    items, start = 0, time.perf_counter()
    while True:
        items += work()
        elapsed = time.perf_counter() - start
        if elapsed >= SECONDS:
            return items / elapsed


def adam_rate(model):
    """Adam steps per second on the model's parameters, gradients given (torch.optim.Adam as training calls it)."""
    torch.manual_seed(1)
    for p in model.parameters():
        p.grad = (torch.rand_like(p) - 0.5) * 1e-3
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

    def step():
        optimizer.step()
        return 1
    return rate(step)


def random_set(n, channels, height, width, classes):
    torch.manual_seed(1)
    return torch.rand(n, channels, height, width), torch.arange(n) % classes


def trainer(model, x, y, batch):
    """One epoch of Adam on (x, y), shuffled; returns how many images it trained."""
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    model.train()

    def epoch():
        order = torch.randperm(len(x))
        for i in range(0, len(x), batch):
            rows = order[i:i + batch]
            optimizer.zero_grad()
            loss_fn(model(x[rows]), y[rows]).backward()
            optimizer.step()
        return len(x)

    return epoch


def train_rate(model, x, y, batch):
    epoch = trainer(model, x, y, batch)
    epoch()
    return rate(epoch)


PAIR_EPOCHS = 3


def pair_worker(key, threads, barrier, times):
    """One of two processes training the same workload at once: a warm-up epoch, then PAIR_EPOCHS timed ones."""
    torch.set_num_threads(threads)
    _, build, (channels, size), classes, batch, steps = next(w for w in LESSONS if w[0] == key)
    torch.manual_seed(42)
    x, y = random_set(batch * steps, channels, size, size, classes)
    epoch = trainer(build(), x, y, batch)
    epoch()
    barrier.wait()
    start = time.monotonic()
    images = sum(epoch() for _ in range(PAIR_EPOCHS))
    times.put((start, time.monotonic(), images))


def pair_rate(key, threads):
    """Images/s of two models of workload `key` trained at once, each in its own process on `threads` threads
    (what ConvKit's SideBySide does in one JVM): all images over the time from the common start to the last end."""
    import multiprocessing
    context = multiprocessing.get_context("spawn")
    barrier, times = context.Barrier(2), context.Queue()
    workers = [context.Process(target=pair_worker, args=(key, threads, barrier, times)) for _ in range(2)]
    for w in workers:
        w.start()
    results = [times.get() for _ in workers]
    for w in workers:
        w.join()
    return sum(r[2] for r in results) / (max(r[1] for r in results) - min(r[0] for r in results))


def infer_rate(model, x, batch):
    model.eval()
    xb = x[:batch].clone()

    def ten():
        with torch.inference_mode():
            for _ in range(10):
                model(xb)
        return 10 * batch

    ten()
    return rate(ten)


def gemm_gflops():
    best = 0.0
    for n in (256, 512, 1024, 2048):
        a, b = torch.rand(n, n), torch.rand(n, n)
        torch.mm(a, b)
        reps = max(1, int(2e9 / (2.0 * n ** 3)))

        def products():
            for _ in range(reps):
                torch.mm(a, b)
            return reps

        best = max(best, rate(products) * 2.0 * n ** 3 / 1e9)
    return best


def training_flops(model, shape):
    """Same count as the DL4J side: 2 x MACs of conv and linear layers forward, 3x that to train, 2x for layer 1."""
    flops = []

    def hook(module, inputs, output):
        if isinstance(module, nn.Conv2d):
            k = module.kernel_size[0] * module.kernel_size[1]
            flops.append(2.0 * output[0].numel() * module.in_channels * k)
        elif isinstance(module, nn.Linear):
            flops.append(2.0 * module.in_features * module.out_features)

    handles = [m.register_forward_hook(hook) for m in model.modules()]
    with torch.no_grad():
        model(torch.zeros(1, *shape))
    for h in handles:
        h.remove()
    return sum(f * (2 if i == 0 else 3) for i, f in enumerate(flops))


def main():
    if sys.argv[1] == "blas":
        print(blas_library())
        return
    what, path = sys.argv[1], sys.argv[2]
    torch.set_num_threads(int(os.environ.get("BENCH_THREADS", os.cpu_count())))
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w") as out:
        def put(key, value):
            text = f"{value:.4g}" if isinstance(value, float) else str(value)
            print(f"{key}={text}", file=out, flush=True)
            print(f"{key}={text}", flush=True)

        if what == "memory":
            torch.manual_seed(42)
            x, y = random_set(128 * 40, 1, 28, 28, 10)
            train_rate(seed_cnn(28, 28, 1, 10), x, y, 128)
            put("peak_rss_mb_cnn_b128", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0)
            return
        put("threads", torch.get_num_threads())
        put("version", torch.__version__)
        put("blas", blas_library())
        put("gemm_gflops", gemm_gflops())
        for key, build, (channels, size), classes, batch, steps in LESSONS:
            torch.manual_seed(42)
            x, y = random_set(batch * steps, channels, size, size, classes)
            put(f"lesson_{key}", train_rate(build(), x, y, batch))
        for key in PAIRS:
            put(f"pair_{key}", pair_rate(key, max(1, torch.get_num_threads() // 2)))
        for name, build in (("cnn", seed_cnn), ("mlp", mlp)):
            for batch in (64, 128):
                torch.manual_seed(42)
                model = build(28, 28, 1, 10)
                x, y = random_set(batch * 40, 1, 28, 28, 10)
                put(f"{name}_flops_per_image_train", training_flops(model, (1, 28, 28)))
                put(f"{name}_train_b{batch}", train_rate(model, x, y, batch))
                put(f"{name}_infer_b{batch}", infer_rate(model, x, batch))
        put("adam_mlp_steps", adam_rate(mlp(28, 28, 1, 10)))
        x, y = random_set(64 * 20, 3, 50, 50, 10)
        put("cnn50rgb_train_b64", train_rate(seed_cnn(50, 50, 3, 10), x, y, 64))


if __name__ == "__main__":
    main()
