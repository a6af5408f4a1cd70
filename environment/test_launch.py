"""What the start scripts do before Jupyter or the kernel runs: the kernel's memory sizing and settings, its channels
(environment/kernel/KernelStart.java) and the learner's folders.
Run with `python3 -m unittest environment/test_launch.py` (make test does, after the set-up)."""
import os
import pathlib
import re
import subprocess
import tempfile
import time
import unittest

KIT = pathlib.Path(__file__).resolve().parent.parent


def jvm_flags(**env):
    out = subprocess.run(["bash", str(KIT / "environment/kernel/convkit-kernel"), "--jvm-flags"], capture_output=True,
                         text=True, check=True, env={**os.environ, **env}).stdout.split()
    return {m.group(1): int(m.group(2)) for m in (re.match(r"-(Xmx|D[^=]+=)(\d+)", f) for f in out) if m}


class KernelMemory(unittest.TestCase):
    def test_learner_bound_sizes_heap_and_the_whole_kernel(self):
        flags = jvm_flags(MEM_LIMIT=str(2 << 30))
        self.assertEqual(flags["Xmx"], 512)
        self.assertEqual(flags["Dorg.bytedeco.javacpp.maxbytes="], 1 << 30)
        self.assertEqual(flags["Dorg.bytedeco.javacpp.maxphysicalbytes="], (2 << 30) - (256 << 20))

    def test_small_bound_keeps_a_quarter_for_the_rest(self):
        flags = jvm_flags(MEM_LIMIT=str(1 << 30))
        self.assertEqual(flags["Xmx"], 256)
        self.assertEqual(flags["Dorg.bytedeco.javacpp.maxphysicalbytes="], 3 << 28)

    def test_machine_without_a_bound_keeps_a_quarter_for_other_programs(self):
        machine = int(pathlib.Path("/proc/meminfo").read_text().split("MemTotal:")[1].split()[0]) * 1024
        flags = jvm_flags(MEM_LIMIT="")
        if flags["Xmx"] != min(machine // 4, 6 << 30) >> 20:
            self.skipTest("this machine runs under a memory cgroup below its RAM")
        self.assertEqual(flags["Dorg.bytedeco.javacpp.maxphysicalbytes="], machine * 3 // 4)

    def test_bound_above_the_machine_or_not_a_number_is_ignored(self):
        machine = jvm_flags()
        self.assertEqual(jvm_flags(MEM_LIMIT=str(1 << 50)), machine)
        self.assertEqual(jvm_flags(MEM_LIMIT="2G"), machine)
        self.assertEqual(jvm_flags(MEM_LIMIT=""), machine)


class KernelEnvironment(unittest.TestCase):
    """`convkit-kernel --env` prints the settings the kernel runs with, for make bench and profile.sh to share."""

    def exports(self, **env):
        out = subprocess.run(["bash", str(KIT / "environment/kernel/convkit-kernel"), "--env"], capture_output=True,
                             text=True, check=True, env={**{k: v for k, v in os.environ.items()
                                                            if k not in ("OMP_WAIT_POLICY", "MALLOC_ARENA_MAX")}, **env}).stdout
        script = out + '\nprintf "%s|%s" "$OMP_WAIT_POLICY" "$MALLOC_ARENA_MAX"'
        return subprocess.run(["bash", "-c", script], capture_output=True, text=True, check=True).stdout

    def test_defaults_are_passive_threads_and_two_malloc_heaps(self):
        self.assertEqual(self.exports(), "PASSIVE|2")

    def test_a_learners_own_setting_is_kept(self):
        self.assertEqual(self.exports(OMP_WAIT_POLICY="ACTIVE", MALLOC_ARENA_MAX="4"), "ACTIVE|4")


class KernelChannels(unittest.TestCase):
    """rapaio-jupyter-kernel 3.0.1 lets an exception end a channel's thread for good (without the shell's, no cell
    runs again); KernelStart replaces such a thread. A message with a wrong signature is one such exception."""

    def setUp(self):
        spec = KIT / "build/jupyter/kernels/convkit/kernel.json"
        if not spec.is_file():
            self.skipTest(f"no kernel built in this checkout ({spec}); make setup builds it")
        from jupyter_client.manager import KernelManager
        from jupyter_client.kernelspec import KernelSpecManager
        self.km = KernelManager(kernel_name="convkit",
                                kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(spec.parent.parent)]))
        self.log = KIT / "build/test-kernel-channels.log"
        with open(self.log, "w") as log:   # the kernel's own log, for when the test fails
            self.km.start_kernel(stdout=log, stderr=subprocess.STDOUT)
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=60)

    def tearDown(self):
        self.kc.stop_channels()
        if self.km.is_alive():
            self.km.shutdown_kernel(now=True)

    def reply_to(self, msg_id, timeout):
        deadline = time.monotonic() + timeout
        while True:
            reply = self.kc.get_shell_msg(timeout=max(0.1, deadline - time.monotonic()))
            if reply["parent_header"].get("msg_id") == msg_id:
                return reply

    def test_a_bad_message_does_not_silence_the_kernel(self):
        from jupyter_client.session import Session
        stranger = Session(key=b"not-this-kernel's-key")
        stranger.send(self.kc.shell_channel.socket, "kernel_info_request")
        stranger.send(self.kc.control_channel.socket, "kernel_info_request")
        time.sleep(0.5)
        info = self.reply_to(self.kc.kernel_info(), timeout=10)   # raises Empty when the shell went silent (see self.log)
        self.assertEqual(info["msg_type"], "kernel_info_reply")
        executed = self.reply_to(self.kc.execute("int answer = 6 * 7;"), timeout=60)
        self.assertEqual(executed["content"]["status"], "ok", executed["content"])
        started = time.monotonic()
        self.km.shutdown_kernel()   # through the control channel: a polite request, then 5 s before a kill
        self.assertFalse(self.km.is_alive())
        self.assertLess(time.monotonic() - started, 4.5, "the control channel answered the shutdown request")


class LearnerFolders(unittest.TestCase):
    def run_folders(self, work, data):
        script = f'source {KIT}/environment/learner-folder.sh && learner_folders "$0" "$1" "$2"'
        return subprocess.run(["bash", "-c", script, str(KIT), str(work), str(data)], capture_output=True, text=True)

    def test_lessons_copied_and_an_edited_lesson_kept(self):
        with tempfile.TemporaryDirectory() as tmp:
            work, data = pathlib.Path(tmp, "work"), pathlib.Path(tmp, "data")
            work.mkdir()
            (work / "03-mlp-vs-cnn.ipynb").write_text("my edits")
            result = self.run_folders(work, data)
            self.assertEqual(result.returncode, 0, result.stderr)
            self.assertTrue(data.is_dir())
            lessons = sorted(p.name for p in (KIT / "notebooks").glob("*.ipynb"))
            self.assertEqual(sorted(p.name for p in work.glob("*.ipynb")), lessons)
            self.assertEqual((work / "03-mlp-vs-cnn.ipynb").read_text(), "my edits")
            self.assertEqual((work / "00-setup.ipynb").read_bytes(), (KIT / "notebooks/00-setup.ipynb").read_bytes())

    def test_folder_that_cannot_be_made_is_named_with_the_fix(self):
        with tempfile.TemporaryDirectory() as tmp:
            blocker = pathlib.Path(tmp, "a-file")
            blocker.write_text("")
            result = self.run_folders(blocker / "work", pathlib.Path(tmp, "data"))
            self.assertEqual(result.returncode, 1)
            self.assertIn(f"{blocker}/work cannot be written by", result.stderr)
            self.assertIn("chown -R", result.stderr)
            self.assertFalse(pathlib.Path(tmp, "data").exists() and any(pathlib.Path(tmp, "data").iterdir()))


if __name__ == "__main__":
    unittest.main()
