"""Apache FOP in one Java VM kept for the process, instead of a VM started for every run.

The `fop` command starts a Java VM, loads FOP and lays out one document; for the PDF of a short
document the start and the warming up are most of the time (two runs a PDF: the area tree,
then the PDF; see `pdf.py`). A batch build makes hundreds of PDFs in a few processes, so each
process keeps one VM running `java/FopBatch.java`, which runs FOP's own command-line code for
each run it is sent: the same bytes as the command (tests/test_fop_vm.py).

The VM is started the way the installed `fop` command would start it: the command is run once
with a stand-in for `java` that writes down its arguments (Debian's java-wrappers read
`JAVA_CMD`, FOP's own script `JAVACMD`), and the same VM arguments (class path, memory,
properties) start `FopBatch.java` in place of FOP's main class. Every run is the command, as
before, when the launcher cannot be read that way, when the VM does not start (a Java older
than 11 cannot run a source file), or when `TROTSKY_TEI_FOP_VM=0`.

One VM per process, one run at a time: a forked child (a worker of `build -j`) starts its own;
the VM ends when its process closes its input or ends, even in the middle of a run, and after
`IDLE_SECONDS` without a run.
"""

from __future__ import annotations

import atexit
import os
import select
import shutil
import subprocess
import tempfile
import threading
import time
from collections import deque
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

#: FOP's command-line main class, which `FopBatch` stands in for.
MAIN = "org.apache.fop.cli.Main"
#: `0`, `no`, `off` or `false`: every run is the `fop` command.
SWITCH = "TROTSKY_TEI_FOP_VM"
#: Seconds a VM may take to start (it compiles FopBatch.java first) before the command is used.
START_TIMEOUT = 120.0
#: Seconds without a run after which a VM ends (the next run starts a new one): a process that
#: lives on, a worker of a cluster or a service, holds no idle VM and heap.
IDLE_SECONDS = 300.0
#: The environment that decides how the command, and so the VM, starts Java.
_LAUNCH_ENV = ("FOP_OPTS", "JAVA_ARGS", "JAVA_OPTS", "JAVA_HOME", "JAVA_CMD", "JAVACMD", "CLASSPATH",
               "SOURCE_DATE_EPOCH", "PATH")


class RunFailed(Exception):
    """FOP reported an error for one run (the message is FOP's, on one line)."""


class VMGone(Exception):
    """The VM did not start, or stopped during a run."""


def source_file() -> Path:
    return Path(str(resources.files("trotsky_tei").joinpath("java", "FopBatch.java")))


def enabled(env: dict[str, str]) -> bool:
    return env.get(SWITCH, "1").strip().lower() not in ("0", "no", "off", "false")


@dataclass(frozen=True)
class Launch:
    """How the `fop` command starts Java: the program and the arguments before FOP's main class."""

    java: str
    vm_args: tuple[str, ...]


_PROBE = '#!/bin/sh\nprintf "%s\\0" "$@" > "$TROTSKY_TEI_FOP_PROBE"\n'


def launch_of(fop: str, env: dict[str, str]) -> Launch | None:
    """The Java VM arguments the `fop` command at `fop` would use, or None when they cannot be
    learnt (the command ignores JAVA_CMD and JAVACMD, or does not name FOP's main class)."""
    with tempfile.TemporaryDirectory(prefix="trotsky-tei-fop-probe-") as tmp:
        probe, found = Path(tmp) / "java", Path(tmp) / "args"
        probe.write_text(_PROBE, encoding="utf-8")
        probe.chmod(0o755)
        probe_env = {**env, "JAVA_CMD": str(probe), "JAVACMD": str(probe), "TROTSKY_TEI_FOP_PROBE": str(found)}
        try:
            subprocess.run([fop, "-version"], env=probe_env, capture_output=True, timeout=60,
                           stdin=subprocess.DEVNULL, check=False)
        except (OSError, subprocess.TimeoutExpired):
            return None
        if not found.is_file():
            return None
        args = [os.fsdecode(a) for a in found.read_bytes().split(b"\0")[:-1]]
    if MAIN not in args:
        return None
    vm_args = args[:args.index(MAIN)]
    if "-jar" in vm_args:
        return None
    return Launch(java, tuple(vm_args)) if (java := java_of(env)) else None


def java_of(env: dict[str, str]) -> str | None:
    """The Java the command would run: the one it was told to use (`JAVA_CMD`, `JAVACMD`), else
    `JAVA_HOME`'s, else the first on the PATH."""
    for name in ("JAVA_CMD", "JAVACMD"):
        if env.get(name) and (found := shutil.which(env[name], path=env.get("PATH"))):
            return found
    home = env.get("JAVA_HOME")
    if home and (Path(home) / "bin" / "java").is_file():
        return str(Path(home) / "bin" / "java")
    return shutil.which("java", path=env.get("PATH"))


class KeptVM:
    """One Java VM running FopBatch: `run` sends it the arguments of one `fop` command.

    Its pipes are plain descriptors, not Python file objects: a forked child closes its copies
    (`forget`) without taking a lock a thread of the parent may have held, and nothing closes
    them again later."""

    def __init__(self, launch: Launch, env: dict[str, str]):
        self.owner = os.getpid()
        vm_in, self._to_vm = os.pipe()
        self._from_vm, vm_out = os.pipe()
        self._log, vm_err = os.pipe()
        try:
            # FopBatch's one argument: the seconds without a run after which it ends
            argv = [launch.java, *launch.vm_args, str(source_file()), f"{IDLE_SECONDS:g}"]
            self.proc = subprocess.Popen(argv, stdin=vm_in, stdout=vm_out, stderr=vm_err, env=env,
                                         close_fds=True)
        except OSError:
            for fd in (self._to_vm, self._from_vm, self._log):
                os.close(fd)
            raise
        finally:
            for fd in (vm_in, vm_out, vm_err):
                os.close(fd)
        self._pending = b""
        #: the VM's last messages (FOP writes its log to standard error), for a failure's report
        self.messages: deque[str] = deque(maxlen=20)
        self._drainer = threading.Thread(target=self._drain, daemon=True)
        self._drainer.start()
        if self._reply(START_TIMEOUT) != "READY":
            self.close()
            raise VMGone(self._stopped("did not start"))

    def _drain(self) -> None:
        """Keep the VM's standard error flowing (a full pipe would stop it), its last lines kept."""
        rest, fd = b"", self._log
        try:
            while chunk := os.read(fd, 65536):
                *lines, rest = (rest + chunk).split(b"\n")
                self.messages.extend(line.decode("utf-8", "replace").rstrip() for line in lines)
        except OSError:
            pass
        finally:
            os.close(fd)                # the VM has ended

    def run(self, args: list[str], timeout: float) -> None:
        """One run; RunFailed with FOP's message, TimeoutError (the VM is then stopped) or VMGone."""
        if any("\t" in a or "\n" in a or "\r" in a for a in args):
            raise ValueError("an argument holds a tab or a line break")
        data = ("\t".join(args) + "\n").encode("utf-8")
        try:
            while data:
                data = data[os.write(self._to_vm, data):]
        except OSError:
            raise VMGone(self._stopped("stopped")) from None
        reply = self._reply(timeout)
        if reply == "OK":
            return
        if reply is None:
            self.close(kill=True)           # busy with the run: it would not read the end of its input
            raise TimeoutError(f"no answer within {timeout:g} s")
        if reply.startswith("ERR "):
            raise RunFailed(reply[4:])
        raise VMGone(self._stopped("stopped"))

    def _reply(self, timeout: float) -> str | None:
        """The VM's next line; "" when it has ended, None when `timeout` passed first."""
        deadline = time.monotonic() + timeout
        while b"\n" not in self._pending:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            ready, _, _ = select.select([self._from_vm], [], [], min(left, 1.0))
            if not ready:
                continue
            chunk = os.read(self._from_vm, 65536)
            if not chunk:
                return ""
            self._pending += chunk
        line, self._pending = self._pending.split(b"\n", 1)
        return line.decode("utf-8", "replace").rstrip("\r")

    def _stopped(self, what: str) -> str:
        """Why the VM stopped: its exit status and the first error among its last messages."""
        try:
            code = self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            code = None
        self._drainer.join(timeout=5)           # its last messages read
        found = next((m for m in self.messages if any(w in m for w in ("Exception", "Error", "error:"))), "")
        return f"FOP's Java VM {what}" + (f" (exit status {code})" if code is not None else "") + \
            (f": {found.strip()[:300]}" if found else "")

    def alive(self) -> bool:
        return self.proc.poll() is None

    def close(self, kill: bool = False) -> None:
        """End the VM: its input closed, it stops; killed at once with `kill`, or if it has not
        stopped within 5 s."""
        if self.owner != os.getpid():
            return
        for fd in (self._to_vm, self._from_vm):
            try:
                os.close(fd)
            except OSError:
                pass
        try:
            if kill:
                self.proc.kill()
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self._to_vm = self._from_vm = -1

    def forget(self) -> None:
        """In a forked child: close the child's copies of the pipes; the parent's VM runs on."""
        for fd in (self._to_vm, self._from_vm, self._log):
            try:
                os.close(fd)
            except OSError:
                pass
        self.proc.returncode = 0        # not the child's process: nothing to wait for or warn of


_lock = threading.Lock()
_vm: KeptVM | None = None
_vm_key: tuple | None = None
#: launch key -> why the VM is not used for it (learnt once per process)
_not_used: dict[tuple, str] = {}
#: why the last run was the command ("" when it ran in the VM)
_last_by_command = ""


def _key(fop: str, env: dict[str, str]) -> tuple:
    return (fop, *(env.get(k) for k in _LAUNCH_ENV))


def _vm_for(fop: str, env: dict[str, str]) -> KeptVM | None:
    """The process's VM for the command `fop` under `env`: started at the first call, started
    again if it has stopped or the command or its environment changed; None when runs are to
    be the command."""
    global _vm, _vm_key
    if not enabled(env):
        return None
    key = _key(fop, env)
    if _vm is not None and (_vm_key != key or not _vm.alive()):
        _vm.close()
        _vm = None
    if _vm is None and key not in _not_used:
        launch = launch_of(fop, env)
        if launch is None:
            _not_used[key] = "the fop command's Java arguments could not be learnt"
            return None
        try:
            _vm, _vm_key = KeptVM(launch, env), key
        except (OSError, VMGone) as exc:
            _not_used[key] = str(exc)
            return None
    return _vm


def run(fop: str, args: list[str], env: dict[str, str], timeout: float) -> bool:
    """Run the `fop` command line `args` (absolute paths) in the process's kept VM; False,
    having run nothing, when runs are to be the command. Raises RunFailed (FOP's error),
    TimeoutError (the VM is stopped) or VMGone (it stopped during the run)."""
    global _last_by_command
    with _lock:
        try:
            in_vm = _run_once(fop, args, env, timeout)
        except VMGone:
            # the VM stopped before or during the run (killed between two documents, say): the
            # run is made once more, in a new VM; a run that stops that one too fails
            in_vm = _run_once(fop, args, env, timeout)
        _last_by_command = "" if in_vm else (
            f"{SWITCH}={env.get(SWITCH, '')}" if not enabled(env) else _not_used.get(_key(fop, env), "unknown"))
        return in_vm


def _run_once(fop: str, args: list[str], env: dict[str, str], timeout: float) -> bool:
    vm = _vm_for(fop, env)
    if vm is None:
        return False
    try:
        vm.run(args, timeout)
    except VMGone:
        vm.close(kill=True)
        raise
    return True


def why_not_used() -> list[str]:
    """Why runs of this process were the command (for diagnostics)."""
    return sorted(set(_not_used.values()))


def last_run_by_command() -> str:
    """Why the last run of this process was the `fop` command, a VM started for it ("" when
    it ran in the kept VM): `build` tells its user why PDFs are slow."""
    return _last_by_command


def pid() -> int | None:
    """The process id of this process's VM, if one is running (for tests and diagnostics)."""
    return _vm.proc.pid if _vm is not None and _vm.alive() else None


def stop() -> None:
    """Stop this process's VM, if any (the next run starts a new one)."""
    global _vm, _vm_key, _last_by_command
    with _lock:
        if _vm is not None:
            _vm.close()
        _vm, _vm_key, _last_by_command = None, None, ""
        _not_used.clear()


def _after_fork_in_child() -> None:
    global _vm, _vm_key, _lock
    if _vm is not None:
        _vm.forget()
    _vm, _vm_key, _lock = None, None, threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)
atexit.register(stop)
