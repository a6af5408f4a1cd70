"""PyTorch's side of `make bench`: the course's seed CNN and MLP layer for layer, Adam, cross-entropy, on the
same random MNIST-shaped data and thread count as the DL4J side (lib/src/test/java/convkit/bench/Bench.java).
Writes key=value lines with the same keys.

    python3 environment/bench_torch.py speed build/bench/torch.txt
    python3 environment/bench_torch.py memory build/bench/torch-memory.txt
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


def random_set(n, channels, height, width, classes):
    torch.manual_seed(1)
    return torch.rand(n, channels, height, width), torch.arange(n) % classes


def train_rate(model, x, y, batch):
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

    epoch()
    return rate(epoch)


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
        put("gemm_gflops", gemm_gflops())
        for name, build in (("cnn", seed_cnn), ("mlp", mlp)):
            for batch in (64, 128):
                torch.manual_seed(42)
                model = build(28, 28, 1, 10)
                x, y = random_set(batch * 40, 1, 28, 28, 10)
                put(f"{name}_flops_per_image_train", training_flops(model, (1, 28, 28)))
                put(f"{name}_train_b{batch}", train_rate(model, x, y, batch))
                put(f"{name}_infer_b{batch}", infer_rate(model, x, batch))
        x, y = random_set(64 * 20, 3, 50, 50, 10)
        put("cnn50rgb_train_b64", train_rate(seed_cnn(50, 50, 3, 10), x, y, 64))


if __name__ == "__main__":
    main()
