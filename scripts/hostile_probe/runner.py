"""Runs one case's process under watch: wall-clock timeout, peak RSS, output size."""

import os
import pty
import signal
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field


@dataclass
class Limits:
    rss_mb: int = 768
    output_bytes: int = 64 << 20


@dataclass
class Result:
    exit_code: int = 0          # the exit status, or -signal
    timed_out: bool = False
    killed_for: str = ""        # "rss" or "output" when the probe stopped it
    peak_rss_mb: float = 0.0
    stdout: bytes = b""         # the first bytes only
    stderr: bytes = b""
    stdout_size: int = 0
    elapsed: float = 0.0
    progress_seen: bool = False
    notes: list = field(default_factory=list)

    @property
    def text(self):
        return (self.stdout + b"\n" + self.stderr).decode("utf-8", "replace")

    @property
    def error_text(self):
        return self.stderr.decode("utf-8", "replace")


KEEP = 64 << 10


def _vm_rss_mb(pid):
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _kill_group(pid):
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def run(binary, case, limits, workdir):
    """Starts `binary case.argv`, watches it, and returns a Result."""
    result = Result()
    out_fd, out_path = tempfile.mkstemp(dir=workdir, prefix="out-")
    err_fd, err_path = tempfile.mkstemp(dir=workdir, prefix="err-")
    stdout_target = out_fd
    if case.stdout_path:
        os.close(out_fd)
        stdout_target = os.open(case.stdout_path, os.O_WRONLY)
    master = None
    stderr_target = err_fd
    pty_bytes = bytearray()
    if case.tty:
        master, slave = pty.openpty()
        stderr_target = slave
    stdin = subprocess.PIPE if case.stdin is not None else subprocess.DEVNULL
    started = time.monotonic()
    process = subprocess.Popen(
        [binary] + case.argv, stdin=stdin, stdout=stdout_target, stderr=stderr_target,
        start_new_session=True, cwd=case.cwd or workdir)
    if case.tty:
        os.close(slave)

        def drain():
            while True:
                try:
                    chunk = os.read(master, 4096)
                except OSError:
                    return
                if not chunk:
                    return
                if len(pty_bytes) < KEEP:
                    pty_bytes.extend(chunk)
        reader = threading.Thread(target=drain, daemon=True)
        reader.start()
    if case.stdin is not None:
        try:
            process.stdin.write(case.stdin)
            process.stdin.close()
        except (BrokenPipeError, OSError):
            pass
    status, usage = None, None
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        elapsed = time.monotonic() - started
        if elapsed > case.timeout:
            result.timed_out = True
            _kill_group(process.pid)
        elif _vm_rss_mb(process.pid) > limits.rss_mb:
            result.killed_for = "rss"
            _kill_group(process.pid)
        elif not case.stdout_path and os.fstat(out_fd).st_size > limits.output_bytes:
            result.killed_for = "output"
            _kill_group(process.pid)
        time.sleep(0.02 if elapsed < 1 else 0.1)
    process.returncode = os.waitstatus_to_exitcode(status)
    _kill_group(process.pid)  # children it left behind
    result.elapsed = time.monotonic() - started
    result.exit_code = process.returncode
    result.peak_rss_mb = usage.ru_maxrss / 1024
    if not case.stdout_path:
        result.stdout_size = os.fstat(out_fd).st_size
        with open(out_path, "rb") as out:
            result.stdout = out.read(KEEP)
        os.close(out_fd)
    else:
        os.close(stdout_target)
    os.unlink(out_path)
    if case.tty:
        reader.join(timeout=1)
        os.close(master)
        result.stderr = bytes(pty_bytes)
        os.close(err_fd)
    else:
        with open(err_path, "rb") as err:
            result.stderr = err.read(KEEP)
        os.close(err_fd)
    os.unlink(err_path)
    result.progress_seen = b"\r" in result.stderr or b"ETA" in result.stderr
    return result
