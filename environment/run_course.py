#!/usr/bin/python3
"""Runs the course headlessly: executes every lesson notebook in order with the ConvKit kernel, writes the
executed notebooks and their HTML to build/course/<mode>/, and writes the reproduction report (Markdown and
HTML) with each lesson's status, wall time and every figure the lesson recorded through convkit.report.Report.

    environment/run_course.py [--mode quick|full|test] [--only 01,03] [--again] [--strict]

While a lesson runs, the terminal shows which cell of how many is running and the lesson's live training line
(epoch, batch, loss, time left), updated in place; when the output is not a terminal (a log file, CI) the same
appears as plain lines: one per cell, one per finished epoch and the training line every 30 seconds.

Each lesson's result is kept in build/course/<mode>/results/<lesson>.json. A lesson that finished ok is not
run again while its notebook, the mode and the library (lib/ sources, the kernel launcher and kernelspec,
the data manifest) are unchanged: its kept result is reused and the report says from when. --again runs
the chosen lessons anyway (--only 06 --again: lesson 06 alone). A lesson that failed or was interrupted
runs again, and the report says it continued an interrupted run; its wall time counts the interrupted
attempts too (the running lesson's marker records the time spent every 30 seconds, so a run that was killed
outright still counts), which is how a full-mode course run over several evenings gets its whole time. The report
always holds every lesson's latest result, whichever lessons this invocation ran.

--strict exits non-zero when any chosen lesson fails or shows an error output (make test); without it a
failing lesson is reported with its error and the rest still run (make run).
"""
import argparse
import asyncio
import hashlib
import html
import json
import os
import re
import shutil
import signal
import sys
import threading
import time
from contextlib import asynccontextmanager
from datetime import datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MODES = ("test", "quick", "full")
CELL_TIMEOUT = {"test": 1800, "quick": 1800, "full": 6 * 3600}
# What a lesson's result depends on besides its notebook and the mode (paths relative to the repository).
LIBRARY = ("pom.xml", "lib/pom.xml", "lib/src/main", "environment/kernel", "datasets/manifest.json",
           "build/jupyter/kernels/convkit/kernel.json", "build/jupyter/kernels/convkit/init.jsh")


def lessons(repo, only):
    found = sorted((repo / "notebooks").glob("[0-9][0-9]-*.ipynb"))
    if only:
        wanted = {o.strip() for o in only.split(",") if o.strip()}
        chosen = [p for p in found if p.name[:2] in wanted or p.stem in wanted]
        if not chosen:
            sys.exit(f"run_course: no lesson matches --only {only}; lessons are: " + ", ".join(p.stem for p in found))
        return chosen
    return found


def digest(paths):
    """SHA-256 over the files at these paths (folders: every file inside, in a stable order)."""
    h = hashlib.sha256()
    for path in paths:
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for f in files:
            if f.is_file():
                h.update(str(f.relative_to(path.parent)).encode() + b"\0" + f.read_bytes() + b"\0")
    return h.hexdigest()


def fingerprint(repo, notebook, mode):
    """What decides whether a kept result still holds."""
    return {"notebook": digest([notebook]), "mode": mode, "library": digest([repo / p for p in LIBRARY])}


def changed(old, new):
    """The parts of a fingerprint that differ, in words."""
    return [part for part in ("notebook", "mode", "library") if old.get(part) != new.get(part)]


def now():
    return datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def write_json(path, value):
    """Writes atomically: a result on disk is either the old one or the whole new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(value, indent=1), encoding="utf-8")
    tmp.replace(path)


def read_json(path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


class Status:
    """The runner's live line: lesson, cell N of M, elapsed time and the kernel's current training line.

    On a terminal it is redrawn in place (carriage return and erase-line); elsewhere it becomes plain lines,
    at most one training line per `interval` seconds, so a two-hour lesson leaves a readable log."""

    PROGRESS = re.compile(r'<div class="convkit-progress"[^>]*>(.*?)</div>', re.S)
    LOG = re.compile(r'<pre class="convkit-progress-log"[^>]*>(.*?)</pre>', re.S)

    def __init__(self, out=sys.stdout, tty=None, interval=30.0, clock=time.monotonic):
        self.out = out
        self.tty = out.isatty() if tty is None else tty
        self.interval = interval
        self.clock = clock
        self.lesson = ""
        self.cells = 0
        self.cell = 0
        self.training = ""
        self.started = 0.0
        self.last_plain = None
        self.logged = {}
        self.drawn = False

    def begin(self, lesson, cells):
        self.lesson, self.cells, self.cell, self.training = lesson, cells, 0, ""
        self.started = self.clock()
        self.logged = {}
        if self.tty:
            self.draw()

    def start_cell(self, number):
        self.cell = number
        self.training = ""
        if self.tty:
            self.draw()
        else:
            self.line(f"run: {self.lesson}: cell {number}/{self.cells}")
            self.last_plain = None

    def message(self, msg):
        """An IOPub message from the kernel: picks out Progress displays (convkit.display.Progress)."""
        if msg.get("msg_type") not in ("display_data", "update_display_data"):
            return
        content = msg.get("content", {})
        page = content.get("data", {}).get("text/html", "")
        found = self.PROGRESS.search(page)
        if not found:
            return
        display = content.get("transient", {}).get("display_id", "")
        log = self.LOG.search(page)
        lines = [text(line) for line in log.group(1).splitlines() if line.strip()] if log else []
        title = text(re.sub(r"<b>(.*?)</b>", r"\1:", found.group(1), count=1, flags=re.S))
        for line in lines[self.logged.get(display, 0):]:
            self.line(f"run: {self.lesson}: {line}")
        self.logged[display] = len(lines)
        self.training = title
        if self.tty:
            self.draw()
        elif self.last_plain is None or self.clock() - self.last_plain >= self.interval:
            self.line(f"run: {self.lesson}: cell {self.cell}/{self.cells}: {title}")
            self.last_plain = self.clock()

    def draw(self):
        seconds = int(self.clock() - self.started)
        where = f"cell {self.cell}/{self.cells}" if self.cell else "starting the kernel"
        state = f"run: {self.lesson}: {where}, {seconds // 60}:{seconds % 60:02d}"
        if self.training:
            state += f" | {self.training}"
        width = shutil.get_terminal_size((120, 20)).columns - 1
        self.out.write("\r\033[K" + state[:width])
        self.out.flush()
        self.drawn = True

    def line(self, value):
        """A line that stays (above the live line on a terminal)."""
        if self.drawn:
            self.out.write("\r\033[K")
            self.drawn = False
        self.out.write(value + "\n")
        self.out.flush()
        if self.tty and self.cell:
            self.draw()

    def end(self, value):
        self.cell = 0
        self.line(value)


def text(fragment):
    """HTML fragment to one line of plain text."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def error_outputs(nb):
    """The error outputs left in an executed notebook, as 'ename: evalue' strings."""
    errors = []
    for index, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                errors.append(f"cell {index}: {out.get('ename')}: {out.get('evalue')}")
    return errors


def peak_memory(pid):
    """The peak resident memory of process `pid` so far (Linux's VmHWM), in bytes; None if it cannot be read."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def mebibytes(value):
    return f"{value / 2**20:,.0f} MiB" if value else ""


def execute(nb, path, mode, log_path, status):
    """Executes a notebook in place with the ConvKit kernel; returns (status, error, the kernel's peak resident
    memory in bytes or None if unknown: what a teacher sizes a Binder or JupyterHub limit by). Retries a kernel that
    never answered at start-up: a safety net behind environment/kernel/KernelStart.java, which works around
    rapaio-jupyter-kernel 3.0.1's start-up races; a kernel that never answered is not the lesson's fault."""
    from nbclient import NotebookClient
    from nbclient.util import ensure_async
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    peak = [None]

    class WatchedClient(NotebookClient):
        measured = 0.0

        def process_message(self, msg, cell, cell_index):
            status.message(msg)
            # the kernel's peak so far, at most every 2 s; its last messages come after the peak
            if time.monotonic() - self.measured > 2:
                self.measured = time.monotonic()
                process = getattr(getattr(self.km, "provisioner", None), "process", None)
                value = peak_memory(process.pid) if process is not None else None
                if value:
                    peak[0] = max(peak[0] or 0, value)
            return super().process_message(msg, cell, cell_index)

        @asynccontextmanager
        async def async_setup_kernel(self, **kwargs):
            async with super().async_setup_kernel(**kwargs):
                loop = asyncio.get_running_loop()
                for sig in (signal.SIGINT, signal.SIGTERM):
                    loop.add_signal_handler(sig, self.stop)
                yield

        def stop(self):
            # The kernel is shut down; the cell waiting on it then ends with an error that execute() turns
            # back into the interruption.
            Stop.asked = True
            asyncio.ensure_future(ensure_async(self.km.shutdown_kernel(now=True)))

    code = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and c.source.strip()]

    def cell_started(cell, cell_index):
        if cell_index in code:
            status.start_cell(code.index(cell_index) + 1)

    for attempt in range(1, 4):
        client = WatchedClient(nb, kernel_name="convkit", timeout=CELL_TIMEOUT[mode], startup_timeout=45,
                               resources={"metadata": {"path": str(path.parent)}},
                               on_cell_start=cell_started)
        with open(log_path, "a", encoding="utf-8") as log:
            log.write(f"--- attempt {attempt}\n")
            log.flush()
            try:
                client.execute(stdout=log, stderr=log)
                return "ok", None, peak[0]
            except Exception as e:
                if Stop.asked:
                    raise KeyboardInterrupt from e
                if not isinstance(e, (CellExecutionError, CellTimeoutError, DeadKernelError, RuntimeError)):
                    raise
                message = str(e).strip()
                error = message.splitlines()[-1][:500] if message else type(e).__name__
                started_cells = any(c.get("outputs") or c.get("execution_count") for c in nb.cells if c.cell_type == "code")
                if started_cells or attempt == 3 or not ("didn't respond" in message or "before replying" in message):
                    return "failed", error, peak[0]
                status.line(f"run: {path.stem}: the kernel did not answer at start-up ({error}); starting it again")


def run_lesson(path, mode, out_dir, status, executor=execute):
    import nbformat
    from nbconvert import HTMLExporter

    nb = nbformat.read(path, as_version=4)
    figures_file = out_dir / "figures" / f"{path.stem}.jsonl"
    figures_file.parent.mkdir(parents=True, exist_ok=True)
    figures_file.unlink(missing_ok=True)
    os.environ["CONVKIT_MODE"] = mode
    os.environ["CONVKIT_REPORT_FILE"] = str(figures_file)
    log_path = out_dir / "logs" / f"{path.stem}.kernel.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log_path.unlink(missing_ok=True)
    status.begin(path.stem, sum(1 for c in nb.cells if c.cell_type == "code" and c.source.strip()))
    started = time.monotonic()
    result, error, peak = executor(nb, path, mode, log_path, status)
    ran_a_cell = any(c.get("outputs") or c.get("execution_count") for c in nb.cells if c.cell_type == "code")
    if result == "failed" and not ran_a_cell and log_path.exists():
        # The kernel never ran a cell: its own start-up error is the useful part, without its message chatter.
        lines = log_path.read_text(encoding="utf-8", errors="replace").strip().splitlines()
        tail = [line for line in lines if "Handling message" not in line and "shutting down" not in line][-15:]
        error = f"{error}; kernel log {log_path}:\n    " + "\n    ".join(tail)
    seconds = time.monotonic() - started
    left = error_outputs(nb)
    if result == "ok" and left:
        result, error = "failed", left[0]
    executed = out_dir / "notebooks" / path.name
    executed.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, executed)
    body, _ = HTMLExporter(template_name="lab").from_notebook_node(nb)
    (out_dir / "html").mkdir(parents=True, exist_ok=True)
    (out_dir / "html" / f"{path.stem}.html").write_text(body, encoding="utf-8")
    figures = []
    if figures_file.exists():
        figures = [json.loads(line) for line in figures_file.read_text(encoding="utf-8").splitlines() if line.strip()]
    return {"lesson": path.stem, "status": result, "seconds": seconds, "error": error, "figures": figures,
            "peak_memory": peak}


class Marker:
    """The marker of the lesson that is running, results/<lesson>.running.json: when it started, what it
    depends on and the seconds spent on it so far, rewritten every `every` seconds while it runs, so a run
    stopped any way (Ctrl-C, a closed session, a killed machine) leaves how far it got. The next run continues
    the lesson and adds that time to its own."""

    def __init__(self, path, prints, every=30.0, clock=time.monotonic):
        self.path, self.clock, self.every = path, clock, every
        previous = read_json(path)
        same = previous is not None and previous.get("fingerprint") == prints
        self.continued = previous["started"] if same else None
        self.before = float(previous.get("spent", 0)) if same else 0.0
        self.value = {"started": self.continued or now(), "fingerprint": prints}
        self.since = self.clock()
        self.done = threading.Event()
        self.save()
        self.beat = threading.Thread(target=self.keep, daemon=True)
        self.beat.start()

    def spent(self):
        return self.before + self.clock() - self.since

    def save(self):
        write_json(self.path, dict(self.value, spent=round(self.spent(), 1)))

    def keep(self):
        while not self.done.wait(self.every):
            self.save()

    def close(self, finished):
        """Stops the heartbeat; a finished lesson's marker goes, an interrupted one's keeps its time."""
        self.done.set()
        self.beat.join()
        if finished:
            self.path.unlink(missing_ok=True)
        else:
            self.save()


def provenance(r):
    """Where a report row comes from, in words."""
    if r.get("ran_now"):
        note = "run now"
        if r.get("continued"):
            note += (f", continued after the run started {r['continued']} was interrupted "
                     f"({r.get('earlier_seconds', 0):.0f} s of it before)")
        return note
    if r.get("status") == "not run":
        return "not run yet"
    if r.get("reused"):
        return f"reused (unchanged), from {r['finished']}"
    note = f"from an earlier run, {r['finished']}"
    if r.get("stale"):
        note += f" (out of date: {', '.join(r['stale'])} changed since; run it again)"
    return note


def clock(seconds):
    seconds = round(seconds)
    if seconds >= 3600:
        return f"{seconds // 3600} h {seconds // 60 % 60} min"
    return f"{seconds // 60} min {seconds % 60} s"


def total(results):
    """The course's time so far: the lessons' wall times added up, and how many of them are ok."""
    ok = [r for r in results if r["status"] == "ok"]
    return (f"{clock(sum(r['seconds'] for r in results))} for the lessons' wall times together, "
            f"{len(ok)} of {len(results)} lessons ok")


def write_report(results, mode, out_dir):
    stamp = now()
    md = [f"# ConvKit reproduction report ({mode} mode, {stamp})", "",
          "| lesson | status | wall time | kernel's peak memory | figures | result |", "|---|---|---|---|---|---|"]
    for r in results:
        md.append(f"| {r['lesson']} | {r['status']} | {r['seconds']:.0f} s | {mebibytes(r.get('peak_memory'))} "
                  f"| {len(r['figures'])} | {provenance(r)} |")
    md += ["", f"In all: {total(results)}."]
    for r in results:
        md += ["", f"## {r['lesson']}", ""]
        if r["error"]:
            md += [f"**Failed:** `{r['error']}`", ""]
        if r["figures"]:
            md += ["| figure | kit | seed |", "|---|---|---|"]
            md += [f"| {f['name']} | {f['value']} | {f['seed'] or ''} |" for f in r["figures"]]
        else:
            md.append("(no figures recorded)")
    (out_dir / "report.md").write_text("\n".join(md) + "\n", encoding="utf-8")

    rows = "".join(
        f"<tr><td><a href='html/{r['lesson']}.html'>{html.escape(r['lesson'])}</a></td>"
        f"<td class='{r['status'].replace(' ', '-')}'>{r['status']}</td><td>{r['seconds']:.0f} s</td>"
        f"<td>{mebibytes(r.get('peak_memory'))}</td>"
        f"<td>{len(r['figures'])}</td><td>{html.escape(provenance(r))}</td></tr>"
        for r in results)
    sections = ""
    for r in results:
        sections += f"<h2>{html.escape(r['lesson'])}</h2>"
        if r["error"]:
            sections += f"<p class='failed'>Failed: <code>{html.escape(r['error'])}</code></p>"
        if r["figures"]:
            sections += "<table><tr><th>figure</th><th>kit</th><th>seed</th></tr>" + "".join(
                f"<tr><td>{html.escape(f['name'])}</td><td>{html.escape(f['value'])}</td>"
                f"<td>{html.escape(f['seed'] or '')}</td></tr>" for f in r["figures"]) + "</table>"
    page = f"""<!doctype html><html><head><meta charset="utf-8"><title>ConvKit report ({mode})</title>
<style>body{{font-family:sans-serif;max-width:60em;margin:2em auto}}table{{border-collapse:collapse}}
td,th{{border:1px solid #ccc;padding:.3em .6em;text-align:left}}.ok{{color:#080}}.failed{{color:#b00}}</style>
</head><body><h1>ConvKit reproduction report</h1><p>{mode} mode, {html.escape(stamp)}</p>
<table><tr><th>lesson</th><th>status</th><th>wall time</th><th>kernel's peak memory</th><th>figures</th><th>result</th></tr>{rows}</table>
<p>In all: {html.escape(total(results))}.</p>
{sections}</body></html>"""
    (out_dir / "report.html").write_text(page, encoding="utf-8")


def latest_results(repo, mode, out_dir, ran):
    """Every lesson's latest result: this invocation's, else the kept one, else 'not run'."""
    results = []
    for path in lessons(repo, ""):
        if path.stem in ran:
            results.append(ran[path.stem])
            continue
        kept = read_json(out_dir / "results" / f"{path.stem}.json")
        if kept is None:
            results.append({"lesson": path.stem, "status": "not run", "seconds": 0, "error": None, "figures": []})
            continue
        kept["stale"] = changed(kept.get("fingerprint", {}), fingerprint(repo, path, mode))
        results.append(kept)
    return results


class Stop:
    """Ctrl-C and SIGTERM (kill, a closed session) end the run the same way: the lesson's kernel is shut down,
    not left behind, and the run ends with what it has kept. While a notebook runs, nbclient owns the signals
    (WatchedClient.setup_kernel takes them back); afterwards they come back here."""
    asked = False

    @classmethod
    def install(cls):
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, cls.handle)

    @classmethod
    def handle(cls, signum=None, frame=None):
        cls.asked = True
        raise KeyboardInterrupt


def run(argv=None, repo=REPO, out=sys.stdout, executor=execute, tty=None):
    parser = argparse.ArgumentParser(prog="run_course.py", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mode", default=os.environ.get("CONVKIT_MODE") or "quick",
                        help="test, quick (the default, or CONVKIT_MODE) or full")
    parser.add_argument("--only", default="", help="the lessons to run, by number or name: --only 03,06")
    parser.add_argument("--again", action="store_true",
                        help="run the chosen lessons even if a kept result is up to date")
    parser.add_argument("--strict", action="store_true", help="exit 1 if a chosen lesson fails (make test)")
    args = parser.parse_args(argv)
    if args.mode not in MODES:
        parser.error(f"CONVKIT_MODE/--mode '{args.mode}' is not a mode: use quick (the default), full or test")
    # This checkout's own kernelspec, whatever else is installed for the user.
    os.environ["JUPYTER_PATH"] = str(repo / "build" / "jupyter") + os.pathsep + os.environ.get("JUPYTER_PATH", "")
    out_dir = repo / "build" / "course" / args.mode
    results_dir = out_dir / "results"
    results_dir.mkdir(parents=True, exist_ok=True)
    status = Status(out, tty)
    ran = {}
    chosen = lessons(repo, args.only)
    interrupted = None
    try:
        for path in chosen:
            prints = fingerprint(repo, path, args.mode)
            kept = read_json(results_dir / f"{path.stem}.json")
            if (not args.again and kept and kept.get("status") == "ok"
                    and not changed(kept.get("fingerprint", {}), prints)):
                status.line(f"run: {path.stem}: unchanged since {kept['finished']} (ok in {kept['seconds']:.0f} s, "
                            f"{len(kept['figures'])} figures): reused; --again runs it anyway")
                ran[path.stem] = dict(kept, reused=True)
                continue
            marker = Marker(results_dir / f"{path.stem}.running.json", prints)
            continued = marker.continued
            status.line(f"run: {path.stem} ({args.mode}) ..." + (
                f" continuing the run started {continued}, which was interrupted after {marker.before:.0f} s"
                if continued else ""))
            try:
                result = run_lesson(path, args.mode, out_dir, status, executor)
                if Stop.asked:
                    raise KeyboardInterrupt
            except BaseException:
                marker.close(finished=False)
                raise
            Stop.install()
            result.update(finished=now(), fingerprint=prints, continued=continued,
                          seconds=result["seconds"] + marker.before, earlier_seconds=marker.before)
            write_json(results_dir / f"{path.stem}.json", result)
            marker.close(finished=True)
            result["ran_now"] = True
            ran[path.stem] = result
            note = f"  {result['error']}" if result["error"] else ""
            before = f" ({marker.before:.0f} s of it before the interruption)" if continued else ""
            memory = f", kernel's peak memory {mebibytes(result['peak_memory'])}" if result.get("peak_memory") else ""
            status.end(f"run: {path.stem}: {result['status']} in {result['seconds']:.0f} s{before}{memory}, "
                       f"{len(result['figures'])} figures{note}")
            write_report(latest_results(repo, args.mode, out_dir, ran), args.mode, out_dir)
    except KeyboardInterrupt:
        interrupted = path.stem
        status.end(f"run: interrupted during {path.stem}; run the same command again to continue from there "
                   "(finished lessons are kept)")
    results = latest_results(repo, args.mode, out_dir, ran)
    write_report(results, args.mode, out_dir)
    print(f"run: in all: {total(results)}", file=out)
    print(f"run: report written to {out_dir / 'report.md'} and {out_dir / 'report.html'}", file=out)
    print(f"run: executed notebooks in {out_dir / 'notebooks'}, HTML in {out_dir / 'html'}", file=out)
    if interrupted:
        return 130
    failed = [name for name, r in ran.items() if r["status"] != "ok"]
    if failed:
        print(f"run: {len(failed)} lesson(s) failed: {', '.join(failed)}", file=sys.stderr)
        if args.strict:
            return 1
    return 0


if __name__ == "__main__":
    Stop.install()
    sys.exit(run())
