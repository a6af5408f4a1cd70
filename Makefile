# ConvKit: the course's commands. `make run` and `make test` set up whatever is missing first.
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c
MODE ?= quick
ROOT ?=
PYTHON := /usr/bin/python3

.PHONY: help setup run test test-lib test-notebooks lab hub bench clean

help:
	@echo "make run     set up, run every lesson (CONVKIT_MODE=full for the real sizes), write the report"
	@echo "make test    set up, run the library's tests, every lesson in test mode (the smallest sizes), and the browser checks"
	@echo "make lab     open the lessons in Jupyter Notebook (localhost, with a token; as root: make lab ROOT=1)"
	@echo "make hub     serve the course to the machine's users with JupyterHub (as root; see README)"
	@echo "make bench   DL4J vs PyTorch speed table"
	@echo "make setup   only the set-up (GPU=1 also fetches the CUDA backend)"

setup:
	@bash environment/install.sh

run: setup
	@$(PYTHON) environment/run_course.py --mode $${CONVKIT_MODE:-$(MODE)}

test: setup
	@mvn -B --no-transfer-progress test | sed "s/\x1b\[[0-9;]*m//g" | grep -E "Tests run|FAIL|ERROR|BUILD"
	@$(PYTHON) -m unittest environment/test_run_course.py environment/test_launch.py
	@rm -rf "$${CONVKIT_DATA:-$$HOME/.cache/convkit}/checkpoints/test"   # lessons train afresh, never resume an old test run
	@$(PYTHON) environment/run_course.py --mode test --strict
	@node environment/check_html.mjs build/course/test/html
	@node environment/check_notebook.mjs

lab: setup
	@CONVKIT_ALLOW_ROOT=$${CONVKIT_ALLOW_ROOT:-$(ROOT)} bash environment/lab.sh

hub: setup
	@bash environment/hub/start-hub.sh

bench:
	@CONVKIT_BENCH=1 bash environment/install.sh
	@bash environment/bench.sh

clean:
	rm -rf build lib/target target
