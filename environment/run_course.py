#!/usr/bin/python3
"""Runs the course headlessly: executes every lesson notebook in order with the ConvKit kernel, writes the
executed notebooks and their HTML to build/course/<mode>/, and writes the reproduction report (Markdown and
HTML) with each lesson's status, wall time and every figure the lesson recorded through convkit.report.Report.

    environment/run_course.py [--mode quick|full|test] [--only 01,03] [--strict]

--strict exits non-zero when any lesson fails or shows an error output (make test); without it a failing
lesson is reported with its error and the rest still run (make run).
"""
import argparse
import html
import json
import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
from nbconvert import HTMLExporter

REPO = Path(__file__).resolve().parent.parent
MODES = ("test", "quick", "full")
CELL_TIMEOUT = {"test": 1800, "quick": 1800, "full": 6 * 3600}


def lessons(only):
    found = sorted(p for p in (REPO / "notebooks").glob("[0-9][0-9]-*.ipynb"))
    if only:
        wanted = {o.strip() for o in only.split(",") if o.strip()}
        found = [p for p in found if p.name[:2] in wanted or p.stem in wanted]
        if not found:
            sys.exit(f"run_course: no lesson matches --only {only}; lessons are: "
                     + ", ".join(p.stem for p in sorted((REPO / "notebooks").glob('[0-9][0-9]-*.ipynb'))))
    return found


def error_outputs(nb):
    """The error outputs left in an executed notebook, as 'ename: evalue' strings."""
    errors = []
    for index, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                errors.append(f"cell {index}: {out.get('ename')}: {out.get('evalue')}")
    return errors


def execute(nb, path, mode, log_path):
    """Executes a notebook in place; returns (status, error). Retries a kernel that never answered at start-up:
    a safety net behind environment/kernel/KernelStart.java, which works around rapaio-jupyter-kernel 3.0.1's
    start-up races; a kernel that never answered is not the lesson's fault."""
    for attempt in range(1, 4):
        client = NotebookClient(nb, kernel_name="convkit", timeout=CELL_TIMEOUT[mode], startup_timeout=45,
                                resources={"metadata": {"path": str(path.parent)}})
        with open(log_path, "a", encoding="utf-8") as log:
            log.write(f"--- attempt {attempt}\n")
            log.flush()
            try:
                client.execute(stdout=log, stderr=log)
                return "ok", None
            except (CellExecutionError, CellTimeoutError, DeadKernelError, RuntimeError) as e:
                message = str(e).strip()
                error = message.splitlines()[-1][:500] if message else type(e).__name__
                started_cells = any(c.get("outputs") or c.get("execution_count") for c in nb.cells if c.cell_type == "code")
                if started_cells or attempt == 3 or not ("didn't respond" in message or "before replying" in message):
                    return "failed", error
                print(f"run: {path.stem}: the kernel did not answer at start-up ({error}); starting it again", flush=True)


def run_lesson(path, mode, out_dir):
    nb = nbformat.read(path, as_version=4)
    figures_file = out_dir / "figures" / f"{path.stem}.jsonl"
    figures_file.parent.mkdir(parents=True, exist_ok=True)
    figures_file.unlink(missing_ok=True)
    os.environ["CONVKIT_MODE"] = mode
    os.environ["CONVKIT_REPORT_FILE"] = str(figures_file)
    log_path = out_dir / "logs" / f"{path.stem}.kernel.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log_path.unlink(missing_ok=True)
    started = time.monotonic()
    status, error = execute(nb, path, mode, log_path)
    if status == "failed" and not nb.cells[0].get("outputs"):
        # The kernel never ran a cell: its own start-up error is the useful part.
        tail = log_path.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-15:]
        error = f"{error}; kernel log {log_path}:\n    " + "\n    ".join(tail)
    seconds = time.monotonic() - started
    left = error_outputs(nb)
    if status == "ok" and left:
        status, error = "failed", left[0]
    executed = out_dir / "notebooks" / path.name
    executed.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, executed)
    body, _ = HTMLExporter(template_name="lab").from_notebook_node(nb)
    (out_dir / "html").mkdir(parents=True, exist_ok=True)
    (out_dir / "html" / f"{path.stem}.html").write_text(body, encoding="utf-8")
    figures = []
    if figures_file.exists():
        figures = [json.loads(line) for line in figures_file.read_text(encoding="utf-8").splitlines() if line.strip()]
    return {"lesson": path.stem, "status": status, "seconds": seconds, "error": error, "figures": figures}


def write_report(results, mode, out_dir):
    stamp = time.strftime("%Y-%m-%d %H:%M %Z")
    md = [f"# ConvKit reproduction report ({mode} mode, {stamp})", "",
          "| lesson | status | wall time | figures |", "|---|---|---|---|"]
    for r in results:
        md.append(f"| {r['lesson']} | {r['status']} | {r['seconds']:.0f} s | {len(r['figures'])} |")
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
        f"<td class='{r['status']}'>{r['status']}</td><td>{r['seconds']:.0f} s</td><td>{len(r['figures'])}</td></tr>"
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
<table><tr><th>lesson</th><th>status</th><th>wall time</th><th>figures</th></tr>{rows}</table>{sections}</body></html>"""
    (out_dir / "report.html").write_text(page, encoding="utf-8")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mode", default=os.environ.get("CONVKIT_MODE") or "quick")
    parser.add_argument("--only", default="")
    parser.add_argument("--strict", action="store_true")
    args = parser.parse_args()
    if args.mode not in MODES:
        sys.exit(f"run_course: CONVKIT_MODE/--mode '{args.mode}' is not a mode: use quick (the default), full or test")
    # This checkout's own kernelspec, whatever else is installed for the user.
    os.environ["JUPYTER_PATH"] = str(REPO / "build" / "jupyter") + os.pathsep + os.environ.get("JUPYTER_PATH", "")
    out_dir = REPO / "build" / "course" / args.mode
    out_dir.mkdir(parents=True, exist_ok=True)
    results = []
    for path in lessons(args.only):
        print(f"run: {path.stem} ({args.mode}) ...", flush=True)
        result = run_lesson(path, args.mode, out_dir)
        results.append(result)
        note = f"  {result['error']}" if result["error"] else ""
        print(f"run: {path.stem}: {result['status']} in {result['seconds']:.0f} s, "
              f"{len(result['figures'])} figures{note}", flush=True)
        write_report(results, args.mode, out_dir)
    failed = [r["lesson"] for r in results if r["status"] != "ok"]
    print(f"run: report written to {out_dir / 'report.md'} and {out_dir / 'report.html'}")
    print(f"run: executed notebooks in {out_dir / 'notebooks'}, HTML in {out_dir / 'html'}")
    if failed:
        print(f"run: {len(failed)} lesson(s) failed: {', '.join(failed)}", file=sys.stderr)
        if args.strict:
            sys.exit(1)


if __name__ == "__main__":
    main()
