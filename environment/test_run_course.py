#!/usr/bin/python3
"""Tests of the course runner's bookkeeping (reuse, --again, interruption, the report) and of its live line, on a
throw-away repository of three small notebooks with an executor that answers like the kernel would, so the whole
file runs in seconds. `make test` runs it; by hand: python3 -m unittest environment/test_run_course.py"""
import io
import json
import os
import sys
import tempfile
import unittest
from contextlib import redirect_stderr
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run_course  # noqa: E402

PROGRESS = ('<div class="convkit-progress" style="font-family:monospace"><b>Training cnn</b> '
            '<progress value="0.4500" max="1" style="width:240px"></progress> 45% epoch 2/10 &middot; batch 3/47 '
            '&middot; loss 0.2100 &middot; 0:42 left</div>')


def progress_message(log_lines, display_id="p1"):
    log = "" if not log_lines else ('<pre class="convkit-progress-log" style="margin:2px 0">'
                                    + "".join(line + "\n" for line in log_lines) + "</pre>")
    return {"msg_type": "update_display_data",
            "content": {"data": {"text/html": PROGRESS + log}, "transient": {"display_id": display_id}}}


class Kernel:
    """Stands in for nbclient and the ConvKit kernel: fills each code cell with an output, records one figure,
    sends one training update; fails or is interrupted in the lessons it is told to."""

    def __init__(self, fail=(), interrupt=(), no_start=(), memory=None):
        self.fail, self.interrupt, self.no_start, self.ran = set(fail), set(interrupt), set(no_start), []
        self.memory = memory or {}

    def __call__(self, nb, path, mode, log_path, status):
        self.ran.append(path.stem)
        log_path.write_text("[INFO   ] [ShellChannel]: Handling message: execute_request\n"
                            + ("Error: Could not find or load main class KernelStart\n" if path.stem in self.no_start else "")
                            + "[INFO   ] Shell-0 shutting down connection marked for shutdown.\n")
        if path.stem in self.no_start:
            return "failed", "the kernel died before replying", None
        status.start_cell(1)
        status.message(progress_message(["epoch 1: loss 0.3000, accuracy 0.9000 (4 s, 800 img/s)"]))
        if path.stem in self.interrupt:
            raise KeyboardInterrupt
        for cell in nb.cells:
            cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=f"{mode}\n")]
        with open(os.environ["CONVKIT_REPORT_FILE"], "a", encoding="utf-8") as figures:
            figures.write(json.dumps({"name": f"{path.stem} accuracy", "value": "0.99", "seed": None}) + "\n")
        return ("failed", "boom", None) if path.stem in self.fail else ("ok", None, self.memory.get(path.stem))


class RunnerTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.repo = Path(self.tmp.name)
        (self.repo / "notebooks").mkdir()
        for name in ("00-setup", "01-convolution", "02-pooling"):
            self.write_notebook(name, f'System.out.println("{name}");')
        (self.repo / "lib" / "src" / "main").mkdir(parents=True)
        (self.repo / "lib" / "src" / "main" / "Lib.java").write_text("class Lib {}")
        self.saved_env = dict(os.environ)

    def tearDown(self):
        os.environ.clear()
        os.environ.update(self.saved_env)
        self.tmp.cleanup()

    def write_notebook(self, name, source):
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)])
        nbformat.write(nb, self.repo / "notebooks" / f"{name}.ipynb")

    def run_course(self, kernel, *argv):
        out = io.StringIO()
        with redirect_stderr(io.StringIO()):
            code = run_course.run(["--mode", "test", *argv], repo=self.repo, out=out, executor=kernel, tty=False)
        return code, out.getvalue()

    def report(self):
        return (self.repo / "build" / "course" / "test" / "report.md").read_text()

    def test_an_unchanged_finished_lesson_is_reused_and_the_report_says_from_when(self):
        self.run_course(Kernel())
        again = Kernel()
        code, out = self.run_course(again)
        self.assertEqual(0, code)
        self.assertEqual([], again.ran)
        self.assertIn("run: 01-convolution: unchanged since", out)
        self.assertEqual(3, self.report().count("reused (unchanged), from "))

    def test_again_runs_the_chosen_lesson_and_the_report_keeps_the_others(self):
        self.run_course(Kernel())
        kernel = Kernel()
        self.run_course(kernel, "--only", "01", "--again")
        self.assertEqual(["01-convolution"], kernel.ran)
        report = self.report()
        self.assertIn("| 01-convolution | ok | 0 s |  | 1 | run now |", report)
        self.assertEqual(2, report.count("from an earlier run, "))
        self.assertIn("00-setup accuracy", report)

    def test_a_changed_notebook_or_library_runs_again(self):
        self.run_course(Kernel())
        self.write_notebook("02-pooling", "int changed = 1;")
        kernel = Kernel()
        self.run_course(kernel)
        self.assertEqual(["02-pooling"], kernel.ran)
        (self.repo / "lib" / "src" / "main" / "Lib.java").write_text("class Lib { int x; }")
        kernel = Kernel()
        self.run_course(kernel)
        self.assertEqual(["00-setup", "01-convolution", "02-pooling"], kernel.ran)

    def test_a_kept_result_that_is_out_of_date_says_so(self):
        self.run_course(Kernel())
        self.write_notebook("00-setup", "int changed = 1;")
        self.run_course(Kernel(), "--only", "02", "--again")
        self.assertIn("(out of date: notebook changed since; run it again)", self.report())

    def test_a_failed_lesson_runs_again_and_strict_reports_it(self):
        code, _ = self.run_course(Kernel(fail={"01-convolution"}))
        self.assertEqual(0, code)
        code, _ = self.run_course(Kernel(fail={"01-convolution"}), "--strict")
        self.assertEqual(1, code)
        kernel = Kernel()
        code, _ = self.run_course(kernel, "--strict")
        self.assertEqual((0, ["01-convolution"]), (code, kernel.ran))

    def test_a_kernel_that_never_ran_a_cell_is_explained_by_its_log_and_a_failed_cell_by_itself(self):
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Convolution"),
                                             nbformat.v4.new_code_cell('System.out.println("01");')])
        nbformat.write(nb, self.repo / "notebooks" / "01-convolution.ipynb")
        self.run_course(Kernel(no_start={"00-setup"}, fail={"01-convolution"}))
        results = {name: json.loads((self.repo / "build/course/test/results" / f"{name}.json").read_text())
                   for name in ("00-setup", "01-convolution")}
        start_error = results["00-setup"]["error"]
        self.assertIn("the kernel died before replying; kernel log", start_error)
        self.assertIn("Could not find or load main class KernelStart", start_error)
        self.assertNotIn("Handling message", start_error)
        self.assertNotIn("shutting down", start_error)
        self.assertEqual("boom", results["01-convolution"]["error"])

    def test_an_interrupted_run_continues_with_the_interrupted_lesson(self):
        code, out = self.run_course(Kernel(interrupt={"01-convolution"}))
        self.assertEqual(130, code)
        self.assertIn("run: interrupted during 01-convolution", out)
        self.assertIn("| 01-convolution | not run | 0 s |  | 0 | not run yet |", self.report())
        kernel = Kernel()
        code, out = self.run_course(kernel)
        self.assertEqual((0, ["01-convolution", "02-pooling"]), (code, kernel.ran))
        self.assertRegex(out, r"run: 01-convolution \(test\) \.\.\. continuing the run started .*, which was interrupted")
        self.assertIn("run now, continued after the run started", self.report())

    def test_a_killed_run_counts_the_time_it_spent(self):
        # A run killed outright (no Ctrl-C handler ran) leaves the marker's last heartbeat: 100 s into lesson 01.
        self.run_course(Kernel(interrupt={"01-convolution"}))
        results = self.repo / "build/course/test/results"
        marker = json.loads((results / "01-convolution.running.json").read_text())
        self.assertGreaterEqual(marker["spent"], 0)
        marker["spent"] = 100.0
        (results / "01-convolution.running.json").write_text(json.dumps(marker))
        code, out = self.run_course(Kernel())
        self.assertEqual(0, code)
        self.assertRegex(out, r"continuing the run started .*, which was interrupted after 100 s")
        self.assertRegex(out, r"run: 01-convolution: ok in 10\d s \(100 s of it before the interruption\)")
        result = json.loads((results / "01-convolution.json").read_text())
        self.assertEqual(100.0, result["earlier_seconds"])
        self.assertGreaterEqual(result["seconds"], 100.0)
        self.assertRegex(self.report(), r"\| 01-convolution \| ok \| 10\d s \|  \| 1 \| run now, continued after the run "
                                        r"started .* was interrupted \(100 s of it before\) \|")
        self.assertFalse((results / "01-convolution.running.json").exists())

    def test_the_marker_records_the_time_spent_while_the_lesson_runs(self):
        clock = [10.0]
        path = self.repo / "marker.json"
        marker = run_course.Marker(path, {"notebook": "x"}, every=0.01, clock=lambda: clock[0])
        clock[0] = 55.0
        deadline = run_course.time.monotonic() + 5
        while json.loads(path.read_text())["spent"] != 45.0 and run_course.time.monotonic() < deadline:
            run_course.time.sleep(0.01)
        self.assertEqual(45.0, json.loads(path.read_text())["spent"])
        marker.close(finished=False)
        again = run_course.Marker(path, {"notebook": "x"}, clock=lambda: 0.0)
        self.assertEqual((45.0, marker.value["started"]), (again.before, again.continued))
        again.close(finished=True)
        self.assertFalse(path.exists())
        other = run_course.Marker(path, {"notebook": "changed"}, clock=lambda: 0.0)
        self.assertEqual((0.0, None), (other.before, other.continued))
        other.close(finished=True)

    def test_the_kernels_peak_memory_is_reported(self):
        code, out = self.run_course(Kernel(memory={"02-pooling": 1536 * 2**20}))
        self.assertEqual(0, code)
        self.assertRegex(out, r"run: 02-pooling: ok in \d+ s, kernel's peak memory 1,536 MiB, 1 figures")
        self.assertRegex(self.report(), r"\| 02-pooling \| ok \| \d+ s \| 1,536 MiB \| 1 \| run now \|")
        self.assertIn("<td>1,536 MiB</td>", (self.repo / "build/course/test/report.html").read_text())
        result = json.loads((self.repo / "build/course/test/results/02-pooling.json").read_text())
        self.assertEqual(1536 * 2**20, result["peak_memory"])

    def test_the_report_adds_up_the_lessons(self):
        self.run_course(Kernel(fail={"01-convolution"}))
        results = self.repo / "build/course/test/results"
        for name, seconds in (("00-setup", 59.6), ("02-pooling", 3600.0)):
            result = json.loads((results / f"{name}.json").read_text())
            result["seconds"] = seconds
            (results / f"{name}.json").write_text(json.dumps(result))
        code, out = self.run_course(Kernel(), "--only", "01")
        self.assertIn("run: in all: 1 h 1 min for the lessons' wall times together, 3 of 3 lessons ok", out)
        self.assertIn("In all: 1 h 1 min for the lessons' wall times together, 3 of 3 lessons ok.", self.report())
        self.assertEqual("2 min 5 s", run_course.clock(125))

    def test_peak_memory_is_read_from_the_process_status(self):
        mine = run_course.peak_memory(os.getpid())
        self.assertGreater(mine, 10 * 2**20, "this Python's own peak resident memory")
        self.assertIsNone(run_course.peak_memory(2**22 + 12345), "no such process")

    def test_an_unknown_option_is_named(self):
        err = io.StringIO()
        with redirect_stderr(err), self.assertRaises(SystemExit) as stop:
            run_course.run(["--fast"], repo=self.repo, executor=Kernel())
        self.assertEqual(2, stop.exception.code)
        self.assertIn("run_course.py: error: unrecognized arguments: --fast", err.getvalue())

    def test_an_unknown_mode_is_named(self):
        err = io.StringIO()
        with redirect_stderr(err), self.assertRaises(SystemExit):
            run_course.run(["--mode", "fast"], repo=self.repo, executor=Kernel())
        self.assertIn("'fast' is not a mode: use quick (the default), full or test", err.getvalue())


class StatusTest(unittest.TestCase):
    def setUp(self):
        self.time = 0.0
        self.out = io.StringIO()

    def status(self, tty):
        status = run_course.Status(self.out, tty=tty, interval=30, clock=lambda: self.time)
        status.begin("03-mlp-vs-cnn", 40)
        status.start_cell(12)
        return status

    def test_on_a_terminal_the_line_is_redrawn_in_place(self):
        status = self.status(tty=True)
        self.time = 75
        status.message(progress_message([]))
        last = self.out.getvalue().split("\r\033[K")[-1]
        self.assertEqual("run: 03-mlp-vs-cnn: cell 12/40, 1:15 | Training cnn: 45% epoch 2/10 · batch 3/47 · "
                         "loss 0.2100 · 0:42 left", last)
        self.assertNotIn("\n", self.out.getvalue())

    def test_in_a_log_progress_becomes_plain_lines_at_most_every_interval(self):
        status = self.status(tty=False)
        status.message(progress_message(["epoch 1: loss 0.3000"]))
        self.time = 10
        status.message(progress_message(["epoch 1: loss 0.3000"]))
        self.time = 31
        status.message(progress_message(["epoch 1: loss 0.3000", "epoch 2: loss 0.2000"]))
        self.assertEqual(["run: 03-mlp-vs-cnn: cell 12/40",
                          "run: 03-mlp-vs-cnn: epoch 1: loss 0.3000",
                          "run: 03-mlp-vs-cnn: cell 12/40: Training cnn: 45% epoch 2/10 · batch 3/47 · loss 0.2100 · 0:42 left",
                          "run: 03-mlp-vs-cnn: epoch 2: loss 0.2000",
                          "run: 03-mlp-vs-cnn: cell 12/40: Training cnn: 45% epoch 2/10 · batch 3/47 · loss 0.2100 · 0:42 left"],
                         self.out.getvalue().splitlines())
        self.assertNotIn("\r", self.out.getvalue())

    def test_other_displays_are_not_progress(self):
        status = self.status(tty=False)
        status.message({"msg_type": "display_data", "content": {"data": {"text/html": "<img src='x'>"}}})
        status.message({"msg_type": "stream", "content": {"text": "hello"}})
        self.assertEqual(["run: 03-mlp-vs-cnn: cell 12/40"], self.out.getvalue().splitlines())


if __name__ == "__main__":
    unittest.main()
