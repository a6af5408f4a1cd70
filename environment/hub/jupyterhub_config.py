# JupyterHub (Debian's jupyterhub 3.0.0) serving the course to the machine's own users: `make hub` starts it
# through environment/hub/start-hub.sh, which checks what this file needs first. What it sets up:
#   - login with the learner's Unix password (PAM); only members of the learners group (CONVKIT_HUB_GROUP,
#     default "learners") may log in; never an open hub;
#   - one Jupyter Notebook server per learner, run as that learner (environment/hub/singleuser.sh), with the
#     course's kernel "Java (ConvKit)" and the learner's own copy of the lessons in ~/convkit;
#   - a memory bound per learner (CONVKIT_HUB_MEMORY, default 3G): each learner's server and kernels run in their
#     own memory cgroup, so a runaway kernel is killed alone and the hub and the other learners go on;
#   - the hub on http://127.0.0.1:8000 (CONVKIT_HUB_ADDRESS, CONVKIT_HUB_PORT); put HTTPS in front of it before
#     opening it to a network.
import grp
import os
import pwd
import subprocess
import sys
from pathlib import Path

from jupyterhub.spawner import LocalProcessSpawner

c = get_config()  # noqa: F821  (JupyterHub defines get_config when it loads this file)

KIT = Path(__file__).resolve().parent.parent.parent
GROUP = os.environ.get("CONVKIT_HUB_GROUP", "learners")
MEMORY = os.environ.get("CONVKIT_HUB_MEMORY", "3G")


def refuse_to_start(message):
    print(f"convkit hub: {message}", file=sys.stderr)
    sys.exit(1)


def can_log_in(user):
    """True when PAM can check a password for this user (`passwd -S`: P = a usable password)."""
    status = subprocess.run(["passwd", "-S", user], capture_output=True, text=True).stdout.split()
    return len(status) > 1 and status[1] == "P"


def learners():
    try:
        group = grp.getgrnam(GROUP)
    except KeyError:
        refuse_to_start(f"there is no group '{GROUP}', so nobody could log in. Create it and add the learners, each with a "
             f"password:\n    groupadd {GROUP}\n    useradd -m -G {GROUP} alice && passwd alice")
    # JupyterHub's group check reads the group's member list only (useradd -G), not primary groups.
    return sorted(group.gr_mem)


if os.geteuid() != 0:
    refuse_to_start("the hub must run as root: it checks Unix passwords and starts each learner's server as that learner "
         "(sudo make hub)")
members = learners()
if not [u for u in members if can_log_in(u)]:
    refuse_to_start(f"no member of the group '{GROUP}' has a password, so nobody could log in "
         f"(members: {', '.join(members) or 'none'}). Give each learner one: passwd NAME; add one: "
         f"useradd -m -G {GROUP} NAME && passwd NAME")


def parse_bytes(text):
    units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}
    value = text.strip().upper().removesuffix("B")
    try:
        return int(float(value[:-1]) * units[value[-1]]) if value and value[-1] in units else int(value)
    except ValueError:
        refuse_to_start(f"CONVKIT_HUB_MEMORY={text!r} is not a size: use for example 3G, 1536M or none")


class MemoryBound:
    """One memory cgroup per learner under <cgroup root>/convkit-hub/, on cgroup v2 or v1 (memory controller).
    Everything the learner's server starts (kernels too) runs inside it; over the bound, the kernel's OOM killer
    picks the largest process in that group alone, which is the learner's Java kernel."""

    def __init__(self):
        v2 = Path("/sys/fs/cgroup")
        controllers = v2 / "cgroup.controllers"
        if controllers.exists() and "memory" in controllers.read_text().split():
            self.root, self.limit, self.files = v2 / "convkit-hub", "memory.max", ("memory.swap.max",)
        elif (v2 / "memory" / "memory.limit_in_bytes").exists():
            self.root, self.limit, self.files = v2 / "memory" / "convkit-hub", "memory.limit_in_bytes", \
                ("memory.memsw.limit_in_bytes",)
        else:
            raise OSError("no memory cgroup controller under /sys/fs/cgroup")
        self.root.mkdir(exist_ok=True)
        if self.limit == "memory.max":
            # cgroup v2: the controller must be handed down to the learners' groups.
            (self.root / "cgroup.subtree_control").write_text("+memory")

    def folder(self, user):
        return self.root / user

    def prepare(self, user, limit):
        """Creates (or resets) the learner's group with this many bytes; swap counts against the same bound."""
        folder = self.folder(user)
        folder.mkdir(exist_ok=True)
        (folder / self.limit).write_text(str(limit))
        for name in self.files:
            if (folder / name).exists():
                (folder / name).write_text("0" if name == "memory.swap.max" else str(limit))
        return folder / "cgroup.procs"

    def remove(self, user):
        try:
            self.folder(user).rmdir()
        except OSError:
            pass  # still has processes, or already gone; the next start reuses it


if MEMORY.lower() == "none":
    BOUND, LIMIT = None, None
else:
    LIMIT = parse_bytes(MEMORY)
    try:
        BOUND = MemoryBound()
    except OSError as e:
        refuse_to_start(f"cannot bound each learner's memory ({e}). Run the hub where memory cgroups can be created (a host or "
             "VM as root; a container needs them delegated), or set CONVKIT_HUB_MEMORY=none to serve without a "
             "per-learner bound (each kernel still bounds its own Java heap and ND4J memory)")


def refusal(message):
    """An error whose message JupyterHub shows the learner on the spawn page (not just in the hub's log)."""
    error = RuntimeError(message)
    error.jupyterhub_message = message
    return error


class ConvKitSpawner(LocalProcessSpawner):
    """LocalProcessSpawner that creates a learner's missing home, bounds the learner's memory and starts the
    course's single-user server (environment/hub/singleuser.sh)."""

    async def start(self):
        user = pwd.getpwnam(self.user.name)
        self.ensure_home(user)
        self.procs_file = BOUND.prepare(self.user.name, LIMIT) if BOUND else None
        return await super().start()

    def ensure_home(self, user):
        home = Path(user.pw_dir)
        if not home.exists():
            try:
                home.mkdir(mode=0o700)
                os.chown(home, user.pw_uid, user.pw_gid)
            except OSError as e:
                raise refusal(
                    f"cannot create the home folder {home} of {user.pw_name} ({e.strerror}). An administrator can "
                    f"create it: install -d -o {user.pw_name} -g {user.pw_gid} -m 700 {home}") from e
            self.log.info("created the home folder %s for %s", home, user.pw_name)
        elif not home.is_dir() or home.stat().st_uid != user.pw_uid:
            raise refusal(f"the home folder {home} of {user.pw_name} is not a folder owned by {user.pw_name}; "
                               f"an administrator can fix it: chown {user.pw_name} {home}")

    def make_preexec_fn(self, name):
        become_user = super().make_preexec_fn(name)
        procs = self.procs_file

        def preexec():
            # Joins the learner's memory group while still root, so every process it starts is inside too.
            if procs is not None:
                with open(procs, "w") as f:
                    f.write(str(os.getpid()))
            become_user()

        return preexec

    async def stop(self, now=False):
        await super().stop(now=now)
        if BOUND:
            BOUND.remove(self.user.name)


PORT = int(os.environ.get("CONVKIT_HUB_PORT", "8000"))
c.JupyterHub.bind_url = f"http://{os.environ.get('CONVKIT_HUB_ADDRESS', '127.0.0.1')}:{PORT}"
# The hub's own two ports follow the public one (JupyterHub fixes them at 8081 and 8001), so that hubs of two
# checkouts on different CONVKIT_HUB_PORTs do not collide.
c.JupyterHub.hub_port = PORT + 81
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{PORT + 1}"
c.JupyterHub.authenticator_class = "jupyterhub.auth.PAMAuthenticator"
c.Authenticator.allowed_users = set()
c.LocalAuthenticator.allowed_groups = {GROUP}
c.Authenticator.admin_users = {u for u in os.environ.get("CONVKIT_HUB_ADMINS", "").split(",") if u}
c.JupyterHub.spawner_class = ConvKitSpawner
c.Spawner.cmd = ["bash", str(KIT / "environment" / "hub" / "singleuser.sh")]
c.Spawner.default_url = "/tree/convkit"
c.Spawner.notebook_dir = "~"
c.Spawner.mem_limit = LIMIT
# A Java kernel's start and the first lesson's data take longer than JupyterHub's default 60 s on a busy machine.
c.Spawner.start_timeout = 180
c.Spawner.http_timeout = 120
c.Spawner.environment = {"CONVKIT_MODE": os.environ.get("CONVKIT_MODE", "quick")}
c.JupyterHub.cookie_secret_file = "jupyterhub_cookie_secret"
c.JupyterHub.db_url = "sqlite:///jupyterhub.sqlite"
