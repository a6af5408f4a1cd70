#!/usr/bin/python3
"""Tests the classroom for real on this machine (run as root, takes 5-15 minutes, so not part of make test):

    environment/hub/test-classroom.py [--learners 5] [--memory 3G] [--port 18000]

It creates throw-away Unix users in a group of their own, starts the hub with environment/hub/start-hub.sh and
checks, through the hub's web pages and the learners' Notebook servers as a browser would use them:
  1. the hub refuses to start when nobody could log in (no group; a group without passwords);
  2. a second hub from the same checkout is refused while one runs;
  3. every learner logs in with their password, gets their own copy of the lessons, starts a ConvKit kernel and
     runs lesson 00 and lesson 03's first training, all at the same time: start times and peak memory per
     learner and in total (the memory cgroups' own peaks, sampled each second for the total);
  4. a learner cannot read another's notebooks, neither from a shell (file permissions) nor through the hub;
  5. a learner whose home cannot be created gets a message that says so;
  6. a kernel that goes over its learner's bound is killed alone: that learner's server, the hub and the other
     learners' kernels go on.
Everything it created (users, homes, group, hub, servers, kernels, cgroups) is removed at the end."""
import argparse
import asyncio
import json
import os
import re
import secrets
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import requests
from tornado.httpclient import HTTPRequest
from tornado.websocket import websocket_connect

KIT = Path(__file__).resolve().parent.parent.parent
GROUP = "convkit-test"
PREFIX = "ckt"
CGROUPS = [Path("/sys/fs/cgroup/convkit-hub"), Path("/sys/fs/cgroup/memory/convkit-hub")]
HOG = """var field = Class.forName("sun.misc.Unsafe").getDeclaredField("theUnsafe");
field.setAccessible(true);
var unsafe = (sun.misc.Unsafe) field.get(null);
for (int i = 0; i < 256; i++) { long p = unsafe.allocateMemory(64L << 20); unsafe.setMemory(p, 64L << 20, (byte) 1); }
"survived"
"""


def sh(*cmd, check=True, **kw):
    return subprocess.run(cmd, check=check, capture_output=True, text=True, **kw)


def say(line):
    print(line, flush=True)


class Failed(AssertionError):
    pass


def expect(condition, message):
    if not condition:
        raise Failed(message)
    say(f"  ok: {message}")


def cgroup(user):
    for root in CGROUPS:
        if (root / user).is_dir():
            return root / user
    return None


def memory_now(user):
    folder = cgroup(user)
    for name in ("memory.current", "memory.usage_in_bytes"):
        if folder and (folder / name).exists():
            return int((folder / name).read_text())
    return 0


def resident(user):
    """The resident memory of all the user's processes, in bytes (shared pages counted in each process)."""
    out = sh("ps", "-u", user, "-o", "rss=", check=False).stdout.split()
    return 1024 * sum(int(x) for x in out)


def memory_peak(user):
    folder = cgroup(user)
    for name in ("memory.peak", "memory.max_usage_in_bytes"):
        if folder and (folder / name).exists():
            return int((folder / name).read_text())
    return None


def oom_kills(user):
    folder = cgroup(user)
    for name in ("memory.events", "memory.oom_control"):
        if folder and (folder / name).exists():
            found = re.search(r"^oom_kill (\d+)", (folder / name).read_text(), re.M)
            return int(found.group(1)) if found else 0
    return 0


class Learner:
    """One learner at a browser: a cookie session with the hub, then their own Notebook server and kernel."""

    def __init__(self, name, password, hub):
        self.name, self.password, self.hub = name, password, hub
        self.http = requests.Session()
        self.times = {}
        self.kernel = None

    def url(self, path):
        return f"{self.hub}/user/{self.name}/{path}"

    def login(self):
        started = time.monotonic()
        page = self.http.post(f"{self.hub}/hub/login", data={"username": self.name, "password": self.password},
                              allow_redirects=True, timeout=300)
        # The hub sends a new learner to the spawn-pending page; the server is ready when its page opens, which
        # also passes the hub's OAuth hand-shake and gives this session the server's cookie.
        while time.monotonic() - started < 300:
            tree = self.http.get(self.url("tree"), timeout=30)
            if tree.status_code == 200 and tree.url.startswith(self.url("tree")):
                break
            time.sleep(1)
        else:
            raise Failed(f"{self.name}: the server did not start in 300 s (last page: {page.url})")
        self.times["login to server ready"] = time.monotonic() - started
        return page

    def api(self, method, path, **kw):
        headers = {"X-XSRFToken": self.http.cookies.get("_xsrf", "")}
        return self.http.request(method, self.url(path), headers=headers, timeout=120, **kw)

    def cells(self, lesson, numbers=None):
        """The code cells of the learner's own copy of a lesson (read through their server)."""
        reply = self.api("GET", f"api/contents/convkit/{lesson}.ipynb")
        expect(reply.status_code == 200, f"{self.name} reads their own copy of {lesson} through the hub")
        code = [("".join(c["source"]) if isinstance(c["source"], list) else c["source"])
                for c in reply.json()["content"]["cells"] if c["cell_type"] == "code"]
        return code if numbers is None else [code[n - 1] for n in numbers]

    async def connect(self):
        started = time.monotonic()
        reply = self.api("POST", "api/kernels", json={"name": "convkit"})
        if reply.status_code != 201:
            raise Failed(f"{self.name}: starting a kernel answered {reply.status_code} {reply.text[:200]}")
        self.kernel = reply.json()["id"]
        await self.reconnect()
        # Like the Notebook page, ask the kernel for its info until it answers.
        while True:
            msg_id = self.send("kernel_info_request", {})
            if await self.wait(msg_id, timeout=5, quiet=True) is not None:
                break
            if time.monotonic() - started > 180:
                raise Failed(f"{self.name}: the kernel did not answer in 180 s")
        self.times["kernel start to first answer"] = time.monotonic() - started

    async def reconnect(self):
        """A websocket to the learner's kernel, as the Notebook page opens one (one per event loop)."""
        cookies = "; ".join(f"{k}={v}" for k, v in self.http.cookies.items())
        ws_url = self.url(f"api/kernels/{self.kernel}/channels").replace("http://", "ws://")
        # The Notebook server opens the websocket once the kernel has answered its kernel_info_request.
        self.ws = await websocket_connect(HTTPRequest(ws_url, headers={"Cookie": cookies}, connect_timeout=240,
                                                      request_timeout=240))
        self.session = uuid.uuid4().hex

    def send(self, msg_type, content):
        msg_id = uuid.uuid4().hex
        self.ws.write_message(json.dumps({
            "header": {"msg_id": msg_id, "msg_type": msg_type, "username": self.name, "session": self.session,
                       "date": "", "version": "5.3"},
            "parent_header": {}, "metadata": {}, "content": content, "channel": "shell"}))
        return msg_id

    async def wait(self, msg_id, timeout, quiet=False):
        """Waits for the reply to msg_id; returns (reply content, error outputs) or None on time-out."""
        errors, reply, idle = [], None, False
        deadline = time.monotonic() + timeout
        while not (reply and idle):
            try:
                raw = await asyncio.wait_for(self.ws.read_message(), max(0.1, deadline - time.monotonic()))
            except asyncio.TimeoutError:
                return None
            if raw is None:
                raise Failed(f"{self.name}: the kernel's connection closed")
            msg = json.loads(raw)
            kind = msg["msg_type"]
            if kind == "status" and msg["content"]["execution_state"] in ("restarting", "dead"):
                # The Notebook server says the kernel died (and is being restarted): no reply will come.
                return {"status": msg["content"]["execution_state"]}, errors
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            if kind == "error":
                errors.append(f"{msg['content']['ename']}: {msg['content']['evalue']}")
            elif kind.endswith("_reply"):
                reply = msg["content"]
            elif kind == "status" and msg["content"]["execution_state"] == "idle":
                idle = True
        return reply, errors

    async def run(self, label, cells, timeout=1800):
        started = time.monotonic()
        for number, code in enumerate(cells, 1):
            answer = await self.wait(self.send("execute_request", {
                "code": code, "silent": False, "store_history": True, "user_expressions": {},
                "allow_stdin": False, "stop_on_error": True}), timeout)
            if answer is None:
                raise Failed(f"{self.name}: {label} cell {number} did not finish in {timeout} s")
            reply, errors = answer
            if reply.get("status") != "ok" or errors:
                raise Failed(f"{self.name}: {label} cell {number} failed: {errors or reply}")
        self.times[label] = time.monotonic() - started


def learner_session(learner, results):
    """What one learner does in the concurrent part; any failure is kept for the main thread."""
    async def work():
        learner.login()
        lesson00 = learner.cells("00-setup")
        training = learner.cells("03-mlp-vs-cnn", [1, 2, 3, 5, 6])   # the training cell needs the CNN (3) and the MLP (5)
        await learner.connect()
        await learner.run("lesson 00 (all cells)", lesson00)
        await learner.run("lesson 03 first training", training)
    try:
        asyncio.run(work())
        results[learner.name] = None
    except Exception as e:  # noqa: BLE001  (reported, then the test fails)
        results[learner.name] = e


def start_hub(port, memory, extra=None):
    env = dict(os.environ, CONVKIT_HUB_PORT=str(port), CONVKIT_HUB_GROUP=GROUP, CONVKIT_HUB_MEMORY=memory,
               CONVKIT_MODE="quick", **(extra or {}))
    log = open("/tmp/convkit-test-hub.log", "a")
    return subprocess.Popen(["bash", str(KIT / "environment" / "hub" / "start-hub.sh")], env=env, stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True)


def hub_refuses(port, memory, expected, why):
    proc = start_hub(port, memory)
    proc.wait(timeout=60)
    log = Path("/tmp/convkit-test-hub.log").read_text()
    expect(proc.returncode != 0 and expected in log, f"{why}: the hub refuses with '{expected}'")


def make_user(name, home=None):
    args = ["useradd", "-G", GROUP, "-s", "/bin/bash"]
    args += ["-M", "-d", home] if home else ["-m"]
    sh(*args, name)
    password = secrets.token_urlsafe(12)
    sh("chpasswd", input=f"{name}:{password}\n")
    return password


def cleanup(names, hub):
    if hub and hub.poll() is None:
        os.killpg(hub.pid, 15)
        try:
            hub.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(hub.pid, 9)
    for name in names:
        sh("pkill", "-KILL", "-u", name, check=False)  # by the test's own user ids, nothing else
        time.sleep(0.5)
        sh("userdel", "-r", name, check=False)
        for root in CGROUPS:
            if (root / name).is_dir():
                (root / name).rmdir()
    for root in CGROUPS:
        try:
            root.rmdir()  # only when no hub uses it any more
        except OSError:
            pass
    sh("groupdel", GROUP, check=False)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--learners", type=int, default=5)
    parser.add_argument("--memory", default="3G", help="the bound per learner (CONVKIT_HUB_MEMORY)")
    parser.add_argument("--port", type=int, default=18000)
    args = parser.parse_args()
    if os.geteuid() != 0:
        sys.exit("test-classroom: run it as root (it creates users and starts the hub)")
    if sh("getent", "group", GROUP, check=False).returncode == 0:
        sys.exit(f"test-classroom: the group {GROUP} exists already (an earlier run that did not finish?); "
                 f"remove it and its users first: groupdel {GROUP}")
    Path("/tmp/convkit-test-hub.log").write_text("")
    hub_url = f"http://127.0.0.1:{args.port}"
    names = [f"{PREFIX}{i}" for i in range(1, args.learners + 1)]
    nohome = f"{PREFIX}-nohome"
    hub = None
    try:
        say("1. a hub nobody could log in to")
        hub_refuses(args.port, args.memory, f"there is no group '{GROUP}'", "no learners group")
        sh("groupadd", GROUP)
        sh("useradd", "-M", "-G", GROUP, f"{PREFIX}-nopass")
        names.append(f"{PREFIX}-nopass")
        hub_refuses(args.port, args.memory, f"no member of the group '{GROUP}' has a password", "no passwords")
        passwords = {name: make_user(name) for name in names if name != f"{PREFIX}-nopass"}
        passwords[nohome] = make_user(nohome, home=f"/etc/hostname/{nohome}")
        names.append(nohome)

        say("2. one hub at a time")
        hub = start_hub(args.port, args.memory)
        for _ in range(60):
            if hub.poll() is not None:
                raise Failed("the hub stopped; see /tmp/convkit-test-hub.log")
            try:
                if requests.get(f"{hub_url}/hub/api", timeout=2).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            time.sleep(1)
        else:
            raise Failed("the hub did not answer in 60 s; see /tmp/convkit-test-hub.log")
        second = start_hub(args.port + 10, args.memory)
        second.wait(timeout=60)
        expect(second.returncode != 0 and "a ConvKit hub is already running" in Path("/tmp/convkit-test-hub.log").read_text(),
               "a second hub is refused with 'a ConvKit hub is already running'")

        say(f"3. {args.learners} learners at once: log in, own copy of the lessons, lesson 00 and a training")
        learners = [Learner(name, passwords[name], hub_url) for name in names[:args.learners]]
        results, peaks_total, rss_total, sampling = {}, [0], [0], [True]
        rss_peak = {learner.name: 0 for learner in learners}

        def sample():
            while sampling[0]:
                peaks_total[0] = max(peaks_total[0], sum(memory_now(n) for n in names))
                now = {n: resident(n) for n in rss_peak}
                rss_total[0] = max(rss_total[0], sum(now.values()))
                for n, value in now.items():
                    rss_peak[n] = max(rss_peak[n], value)
                time.sleep(1)
        sampler = threading.Thread(target=sample)
        sampler.start()
        started = time.monotonic()
        threads = [threading.Thread(target=learner_session, args=(learner, results)) for learner in learners]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.monotonic() - started
        sampling[0] = False
        sampler.join()
        for name, error in results.items():
            if error:
                raise Failed(f"{name}: {error}")
        say(f"  all {args.learners} learners done in {wall:.0f} s; bound {args.memory} each")
        say("  | learner | login to server ready | kernel start to first answer | lesson 00 | lesson 03 training "
            "| peak memory (cgroup) | peak resident |")
        say("  |---|---|---|---|---|---|---|")
        for learner in learners:
            t = learner.times
            say(f"  | {learner.name} | {t['login to server ready']:.1f} s | {t['kernel start to first answer']:.1f} s | "
                f"{t['lesson 00 (all cells)']:.1f} s | {t['lesson 03 first training']:.1f} s | "
                f"{memory_peak(learner.name) / 2**20:.0f} MiB | {rss_peak[learner.name] / 2**20:.0f} MiB |")
        say(f"  total: cgroups' peak of the sum {peaks_total[0] / 2**20:.0f} MiB (sum of their peaks "
            f"{sum(memory_peak(n) for n in names[:args.learners]) / 2**20:.0f} MiB); resident peak of the sum "
            f"{rss_total[0] / 2**20:.0f} MiB")
        first = learners[0]
        own = Path(f"/home/{first.name}/convkit/00-setup.ipynb")
        expect(own.exists(), f"{first.name}'s copy of the lessons is in {own.parent}")

        say("4. one learner cannot read another's notebooks")
        other = learners[1]
        peek = sh("runuser", "-u", other.name, "--", "cat", str(own), check=False)
        expect(peek.returncode != 0 and "Permission denied" in peek.stderr,
               f"{other.name} cannot read {own} from a shell ({peek.stderr.strip()})")
        through = other.http.get(f"{hub_url}/user/{first.name}/api/contents/convkit/00-setup.ipynb", timeout=60)
        expect('"cells"' not in through.text and through.status_code in (403, 404),
               f"{other.name} asking {first.name}'s server for it gets {through.status_code}, not the notebook")
        edited = own.read_text().replace("Course.start();", "Course.start(); // my note", 1)
        own.write_text(edited)
        first.api("DELETE", "api/kernels/" + first.kernel)
        stop = first.http.delete(f"{hub_url}/hub/api/users/{first.name}/server",
                                 headers={"Referer": f"{hub_url}/hub/home"}, timeout=120)
        if stop.status_code not in (202, 204):
            raise Failed(f"stopping {first.name}'s server answered {stop.status_code} {stop.text[:200]}")
        time.sleep(3)
        first.login()
        expect("// my note" in own.read_text(), f"{first.name}'s edited notebook is kept when the server starts again")

        say("5. a learner whose home cannot be created")
        stranger = requests.Session()
        stranger.post(f"{hub_url}/hub/login", data={"username": nohome, "password": passwords[nohome]}, timeout=60)
        time.sleep(3)
        page = stranger.get(f"{hub_url}/hub/spawn-pending/{nohome}", timeout=60).text
        expect("cannot create the home folder" in page,
               f"{nohome} sees: {re.sub(r'<[^>]+>', '', re.search(r'cannot create the home folder[^<]*', page).group(0))}"
               if "cannot create the home folder" in page else f"{nohome} sees why the server did not start")

        say("6. a kernel over its learner's bound dies alone")
        hog = learners[-1]

        async def overflow():
            await hog.reconnect()
            msg = hog.send("execute_request", {"code": HOG, "silent": False, "store_history": True,
                                               "user_expressions": {}, "allow_stdin": False, "stop_on_error": True})
            try:
                return await hog.wait(msg, timeout=300)
            except Failed as e:
                return str(e)
        kills = oom_kills(hog.name)
        answer = asyncio.run(overflow())
        time.sleep(5)
        expect(oom_kills(hog.name) > kills, f"the kernel went over {args.memory} and was killed "
                                            f"(oom_kill {kills} -> {oom_kills(hog.name)}; its cell got: {str(answer)[:120]})")
        expect(hog.api("GET", "api/status").status_code == 200, f"{hog.name}'s server still answers")
        expect(requests.get(f"{hub_url}/hub/api", timeout=10).status_code == 200, "the hub still answers")

        async def still_there(learner):
            await learner.reconnect()
            await learner.run("after the overflow", ["1 + 1"])
        for learner in learners[1:-1]:
            asyncio.run(still_there(learner))
        say(f"  ok: the other learners' kernels ({', '.join(x.name for x in learners[1:-1])}) still answer")
        say("classroom test: passed")
    finally:
        cleanup(names, hub)
        say("cleaned up: test users, their homes, the group, the hub and its servers")


if __name__ == "__main__":
    main()
