"""Time from starting the ConvKit kernel to the first trained batch, as a learner meets it in lesson 03:
start the kernel, run `Course.start();`, build the seed CNN and train one batch of 64 MNIST-shaped images.
Writes key=value lines (seconds) for environment/bench.sh.

    python3 environment/bench_kernel.py build/bench/kernel.txt
"""
import os
import subprocess
import sys
import time
from pathlib import Path

from jupyter_client.manager import start_new_kernel

REPO = Path(__file__).resolve().parent.parent
CELLS = [
    ("course_start", "Course.start();"),
    ("first_batch", """
var x = Nd4j.rand(org.nd4j.linalg.api.buffer.DataType.FLOAT, 64, 1, 28, 28);
var y = Nd4j.eye(10).repeat(0, 7).get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 64));
var cnn = Models.seedCnn(28, 28, 1, 10);
cnn.fit(new org.nd4j.linalg.dataset.DataSet(x, y));
cnn.score();"""),
]


def run(client, code):
    reply = client.execute_interactive(code, timeout=300, output_hook=lambda msg: None)
    if reply["content"]["status"] != "ok":
        sys.exit(f"bench_kernel: cell failed: {reply['content'].get('ename')}: {reply['content'].get('evalue')}\n{code}")


def main():
    os.environ["JUPYTER_PATH"] = str(REPO / "build" / "jupyter") + os.pathsep + os.environ.get("JUPYTER_PATH", "")
    lines = []
    start = time.perf_counter()
    manager, client = start_new_kernel(kernel_name="convkit", startup_timeout=120,
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        lines.append(f"kernel_ready_s={time.perf_counter() - start:.2f}")
        for key, code in CELLS:
            run(client, code)
            lines.append(f"{key}_s={time.perf_counter() - start:.2f}")
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    Path(sys.argv[1]).parent.mkdir(parents=True, exist_ok=True)
    Path(sys.argv[1]).write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
