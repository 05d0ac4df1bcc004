"""`lockstep serve` on unix sockets: hostile bytes on primary_in and secondary_in, hostile QMP,
floods, a second object-del, a decision log on a full device, a regular file where a socket
goes, and out-of-range daemon options. Each payload is one input; after each the daemon must
still answer QMP, stay under the RSS bound, and at the end exit 0 on SIGTERM."""

import json
import os
import random
import signal
import socket
import struct
import subprocess
import threading
import time

from .. import pcap
from ..case import ACCEPT, REJECT, Case
from ..classify import CRASH_TEXT, INTERNALS
from ..runner import _vm_rss_mb


class Daemon:
    def __init__(self, binary, ws, options=(), extra=(), log_path=None, socket_file_first=False):
        self.dir = ws.fresh("daemon")
        os.makedirs(self.dir)
        self.stderr_path = os.path.join(self.dir, "stderr")
        if socket_file_first:
            with open(os.path.join(self.dir, "pin.sock"), "w") as stale:
                stale.write("a regular file where a socket goes\n")
        d = self.dir
        argv = [binary, "serve", "--log-level", "info"] + list(options)
        if log_path:
            argv += ["--decision-log", log_path]
        argv += ["--", "-M", "none", "-nodefaults", "-display", "none", "-object", "iothread,id=io0",
                 "-chardev", f"socket,id=pin,path={d}/pin.sock,server=on,wait=off",
                 "-chardev", f"socket,id=sin,path={d}/sin.sock,server=on,wait=off",
                 "-chardev", f"socket,id=out,path={d}/out.sock,server=on,wait=off",
                 "-chardev", f"socket,id=mon0,path={d}/qmp.sock,server=on,wait=off",
                 "-mon", "chardev=mon0,mode=control",
                 "-object", "colo-compare,id=comp0,primary_in=pin,secondary_in=sin,outdev=out,iothread=io0"] + list(extra)
        self.err = open(self.stderr_path, "wb")
        env = dict(os.environ, SWIFT_BACKTRACE="enable=no")
        self.process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=self.err, stdin=subprocess.DEVNULL,
                                        start_new_session=True, env=env)
        self.qmp = None
        self.out_reader = None
        self.peak_rss = 0.0

    def wait_ready(self, seconds=10):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            if os.path.exists(os.path.join(self.dir, "qmp.sock")):
                try:
                    self.qmp = self.connect("qmp.sock")
                    self.qmp.settimeout(5)
                    self.read_json()  # greeting
                    self.command({"execute": "qmp_capabilities"})
                    self.out_reader = self.connect("out.sock")
                    threading.Thread(target=self.drain, args=(self.out_reader,), daemon=True).start()
                    return True
                except OSError:
                    pass
            time.sleep(0.05)
        return False

    def connect(self, name):
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(5)
        sock.connect(os.path.join(self.dir, name))
        return sock

    @staticmethod
    def drain(sock):
        try:
            while sock.recv(65536):
                pass
        except OSError:
            pass

    def read_json(self):
        buffer = b""
        while b"\n" not in buffer:
            chunk = self.qmp.recv(65536)
            if not chunk:
                raise OSError("monitor closed")
            buffer += chunk
        return json.loads(buffer.split(b"\n")[0])

    def command(self, request):
        self.qmp.sendall(json.dumps(request).encode() + b"\r\n")
        return self.read_json()

    def reconnect_monitor(self):
        """A fresh QMP session: a hostile request may leave the old one's parser mid-object,
        as it would in QEMU; liveness is the daemon's, not that session's."""
        try:
            self.qmp.close()
        except OSError:
            pass
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            try:
                self.qmp = self.connect("qmp.sock")
                self.read_json()
                self.command({"execute": "qmp_capabilities"})
                return
            except (OSError, ValueError):
                time.sleep(0.05)

    def alive(self):
        """(ok, detail): the process runs and answers query-status."""
        if self.process.poll() is not None:
            return False, f"the daemon exited with status {self.process.returncode}"
        self.peak_rss = max(self.peak_rss, _vm_rss_mb(self.process.pid))
        try:
            # Replies to earlier hostile requests may be queued: read until ours.
            self.qmp.sendall(b'{"execute": "query-status", "id": "probe"}\r\n')
            deadline = time.monotonic() + 5
            buffer = b""
            while time.monotonic() < deadline:
                chunk = self.qmp.recv(1 << 20)
                if not chunk:
                    return False, "the monitor connection closed"
                buffer += chunk
                if b'"probe"' in buffer:
                    return True, ""
            return False, "no answer to query-status within 5 s"
        except OSError as error:
            return False, f"monitor: {error}"

    def stderr_text(self):
        self.err.flush()
        with open(self.stderr_path, "rb") as err:
            return err.read().decode("utf-8", "replace")

    def stop(self, timeout=15):
        """SIGTERM; (exit status or None when it did not end)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
                return None
        return self.process.returncode

    def kill(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.err.close()


def record(payload):
    return struct.pack(">I", len(payload)) + payload


def payloads():
    """(name, target socket, bytes, pacing) for one daemon session each batch."""
    rng = random.Random(1919)
    frame = pcap.tcp_frame(b"p" * 100)
    out = []
    for length in (0, 1, 13, 14, 60, 1514, 65_535, 69_632, 69_633, 2**31, 2**32 - 1):
        for target in ("pin.sock", "sin.sock"):
            out.append((f"record length {length} on {target}", target, struct.pack(">I", length) + bytes(min(length, 4096)), None))
    for index in range(120):
        size = rng.choice([1, 3, 4, 5, 100, 5000, 70_000])
        out.append((f"random bytes #{index} ({size})", rng.choice(["pin.sock", "sin.sock"]), rng.randbytes(size), None))
    for index in range(120):
        mutated = bytearray(frame)
        for _ in range(rng.randint(1, 8)):
            mutated[rng.randrange(len(mutated))] = rng.randrange(256)
        data = record(bytes(mutated))
        out.append((f"mutated frame #{index} on both inputs", "both", data, None))
    for index in range(40):
        cut = rng.randrange(1, len(frame) + 4)
        out.append((f"record cut at byte {cut} then closed", rng.choice(["pin.sock", "sin.sock"]), record(frame)[:cut], None))
    out += [
        ("10000 records on secondary_in only", "sin.sock", record(frame) * 10_000, None),
        ("10000 records on primary_in only", "pin.sock", record(frame) * 10_000, None),
        ("250000 zero-length records", "pin.sock", b"\0\0\0\0" * 250_000, None),
        ("a record one byte at a time", "pin.sock", record(frame), "bytewise"),
        ("50 connects and closes", "pin.sock", b"", "reconnect"),
        ("8 MB of 0xff", "sin.sock", b"\xff" * (8 << 20), None),
    ]
    return out


QMP_PAYLOADS = [
    ("garbage", b"garbage\r\n"), ("a lone brace", b"{\r\n"), ("a closing brace", b"}\r\n"), ("an array", b"[]\r\n"),
    ("100000 nested arrays", b"[" * 100_000 + b"]" * 100_000 + b"\r\n"),
    ("100000 nested objects", b'{"a":' * 100_000 + b"1" + b"}" * 100_000 + b"\r\n"),
    ("a 10 MB string", b'{"execute": "' + b"x" * (10 << 20) + b'"}\r\n'),
    ("execute is a number", b'{"execute": 1}\r\n'), ("object-del without id", b'{"execute": "object-del"}\r\n'),
    ("object-del with a numeric id", b'{"execute": "object-del", "arguments": {"id": 5}}\r\n'),
    ("object-del of an unknown object", b'{"execute": "object-del", "arguments": {"id": "nope"}}\r\n'),
    ("object-del of the iothread", b'{"execute": "object-del", "arguments": {"id": "io0"}}\r\n'),
    ("an object id", b'{"execute": "query-status", "id": {"a": [1, 2]}}\r\n'),
    ("invalid UTF-8", b'{"execute": "\xff\xfe"}\r\n'), ("an unknown command", b'{"execute": "nope"}\r\n'),
    ("capabilities twice", b'{"execute": "qmp_capabilities"}\r\n'),
    ("10000 pipelined commands", b'{"execute": "query-version"}\r\n' * 10_000),
    ("arguments is a list", b'{"execute": "object-del", "arguments": [1]}\r\n'),
    ("NUL bytes", b"\0" * 1000 + b"\r\n"), ("a huge number", b'{"execute": "query-status", "id": 1e999999}\r\n'),
    ("an unterminated string", b'{"execute": "query-status\r\n'),
]


def session(binary, ws, batch, outcomes, label):
    """One daemon, many payloads; the daemon is restarted after a payload kills it."""
    daemon = Daemon(binary, ws)
    if not daemon.wait_ready():
        outcomes.append(("daemon", f"{label}: start-up", "crash", "the daemon did not start: " + daemon.stderr_text()[-300:]))
        daemon.kill()
        return
    seen = 0
    for name, target, data, pacing in batch:
        try:
            send(daemon, target, data, pacing)
        except OSError:
            pass
        time.sleep(0.05)
        if target == "qmp":
            daemon.reconnect_monitor()
        ok, detail = daemon.alive()
        text = daemon.stderr_text()[seen:]
        seen += len(text)
        if not ok:
            crashed = daemon.process.poll() is not None
            outcomes.append(("daemon", name, "crash" if crashed else "hang", detail + " " + text[-200:]))
            daemon.kill()
            daemon = Daemon(binary, ws)
            if not daemon.wait_ready():
                daemon.kill()
                return
            seen = 0
        elif daemon.peak_rss > 768:
            outcomes.append(("daemon", name, "resource", f"RSS {daemon.peak_rss:.0f} MB"))
        elif INTERNALS.search(text) or CRASH_TEXT.search(text):
            outcomes.append(("daemon", name, "unclear", (INTERNALS.search(text) or CRASH_TEXT.search(text)).group(0)))
        else:
            outcomes.append(("daemon", name, "ok", ""))
        if ok and "_in error" in text:
            # A framing error stops that input for good, as in QEMU: start afresh.
            daemon.stop()
            daemon.kill()
            daemon = Daemon(binary, ws)
            if not daemon.wait_ready():
                daemon.kill()
                return
            seen = 0
    status = daemon.stop()
    text = daemon.stderr_text()
    if status is None:
        outcomes.append(("daemon", f"{label}: SIGTERM", "hang", "did not exit within 15 s of SIGTERM"))
    elif status != 0:
        outcomes.append(("daemon", f"{label}: SIGTERM", "crash", f"exit status {status}: {text[-200:]}"))
    else:
        outcomes.append(("daemon", f"{label}: SIGTERM", "ok", ""))
    daemon.kill()


def send(daemon, target, data, pacing):
    targets = ["pin.sock", "sin.sock"] if target == "both" else [target]
    for name in targets:
        if pacing == "reconnect":
            for _ in range(50):
                daemon.connect(name).close()
            continue
        if target == "qmp":
            daemon.qmp.sendall(data)
            continue
        sock = daemon.connect(name)
        sock.settimeout(2)
        try:
            if pacing == "bytewise":
                for index in range(len(data)):
                    sock.sendall(data[index:index + 1])
            else:
                sock.sendall(data)
            time.sleep(0.02)
        finally:
            sock.close()


def special_sessions(binary, ws, outcomes):
    """Checks that need their own daemon."""
    # A second object-del of a deleted compare: QEMU says the object is not found.
    daemon = Daemon(binary, ws)
    if daemon.wait_ready():
        first = daemon.command({"execute": "object-del", "arguments": {"id": "comp0"}})
        second = daemon.command({"execute": "object-del", "arguments": {"id": "comp0"}})
        if "error" not in second:
            outcomes.append(("daemon", "object-del twice", "silent", f"second object-del answered {second}"))
        else:
            outcomes.append(("daemon", "object-del twice", "ok", ""))
    daemon.stop()
    daemon.kill()

    # The decision log on a full device: a failed write is logged and counted.
    full = ws.device("full")
    daemon = Daemon(binary, ws, log_path=full)
    if daemon.wait_ready():
        frame = pcap.tcp_frame(b"q" * 100)
        for target in ("pin.sock", "sin.sock"):
            send(daemon, target, record(frame) * 200, None)
        time.sleep(0.3)
        daemon.stop()
        text = daemon.stderr_text()
        if "decision log" in text.lower() and ("fail" in text.lower() or "space" in text.lower()):
            outcomes.append(("daemon", "decision log on a full device", "ok", ""))
        else:
            outcomes.append(("daemon", "decision log on a full device", "silent", "no word of the failed writes"))
    else:
        text = daemon.stderr_text()
        outcomes.append(("daemon", "decision log on a full device", "ok" if "full" in text or "space" in text else "unclear",
                         text[-200:]))
    daemon.kill()

    # A regular file where a socket goes: QEMU 7.2 replaces it too, but the log must say so.
    daemon = Daemon(binary, ws, socket_file_first=True)
    ready = daemon.wait_ready()
    daemon.stop()
    text = daemon.stderr_text()
    if ready and "pin.sock" in text and ("replac" in text.lower() or "remov" in text.lower()):
        outcomes.append(("daemon", "a regular file at a socket path", "ok", ""))
    else:
        outcomes.append(("daemon", "a regular file at a socket path", "silent", "replaced without a word in the log"))
    daemon.kill()


def run_all(binary, ws, outcomes):
    batch = payloads()
    for start in range(0, len(batch), 60):
        session(binary, ws, batch[start:start + 60], outcomes, f"session {start // 60}")
    session(binary, ws, [(f"QMP: {name}", "qmp", data, None) for name, data in QMP_PAYLOADS], outcomes, "QMP session")
    special_sessions(binary, ws, outcomes)


def option_cases(ws):
    """Daemon options out of range, and places it cannot listen: refused before serving."""
    out = []
    base = ["--", "-M", "none", "-object", "iothread,id=io0"]

    def argv(options, directory_name="d"):
        directory = ws.fresh(directory_name)
        os.makedirs(directory, exist_ok=True)
        return ["serve"] + options + base + [
            "-chardev", f"socket,id=pin,path={directory}/pin.sock,server=on,wait=off",
            "-chardev", f"socket,id=sin,path={directory}/sin.sock,server=on,wait=off",
            "-chardev", f"socket,id=out,path={directory}/out.sock,server=on,wait=off",
            "-object", "colo-compare,id=comp0,primary_in=pin,secondary_in=sin,outdev=out,iothread=io0"]
    for value in ("inf", "nan", "1e308", "-1", "-inf", "1e9", "86401"):
        for form in ([f"--shutdown-timeout={value}"], ["--shutdown-timeout", value]):
            out.append(Case("daemon", f"serve {' '.join(form)}", argv(form), REJECT, ["--shutdown-timeout", "shutdown-timeout"],
                            timeout=3, serving=True))
    for value in ("-1", "16777217", "99999999999999999999", "abc"):
        for form in ([f"--max-pending-output={value}"], ["--max-pending-output", value]):
            out.append(Case("daemon", f"serve {' '.join(form)}", argv(form), REJECT,
                            ["--max-pending-output", "max-pending-output"], timeout=3, serving=True))
    for value in ("0.5", "0", "30"):
        out.append(Case("daemon", f"serve --shutdown-timeout {value}", argv(["--shutdown-timeout", value]), ACCEPT,
                        ["shutdown-timeout"], timeout=3, serving=True))
    long_dir = ws.fresh("l" * 120)
    out.append(Case("daemon", "serve with a socket path over 108 bytes",
                    ["serve", "--"] + base[1:] + ["-chardev", f"socket,id=pin,path={long_dir}/pin.sock,server=on,wait=off",
                                                  "-chardev", "socket,id=sin,path=/tmp/x-sin.sock,server=on,wait=off",
                                                  "-chardev", "socket,id=out,path=/tmp/x-out.sock,server=on,wait=off",
                                                  "-object", "colo-compare,id=comp0,primary_in=pin,secondary_in=sin,outdev=out,iothread=io0"],
                    REJECT, ["pin", "path"], timeout=3, serving=True))
    missing = ws.fresh("missing") + "/sub"
    out.append(Case("daemon", "serve with a socket in a missing folder",
                    ["serve", "--"] + base[1:] + ["-chardev", f"socket,id=pin,path={missing}/pin.sock,server=on,wait=off",
                                                  "-chardev", f"socket,id=sin,path={missing}/sin.sock,server=on,wait=off",
                                                  "-chardev", f"socket,id=out,path={missing}/out.sock,server=on,wait=off",
                                                  "-object", "colo-compare,id=comp0,primary_in=pin,secondary_in=sin,outdev=out,iothread=io0"],
                    REJECT, ["pin", "path", missing], timeout=3, serving=True))
    for label, target in (("a directory", ws.directory), ("a missing folder", ws.fresh("m") + "/x/log")):
        out.append(Case("daemon", f"serve --decision-log to {label}", argv(["--decision-log", target]), REJECT,
                        ["decision", target], timeout=3, serving=True))
        out.append(Case("daemon", f"serve -pidfile in {label}", argv([]) + ["-pidfile", target], REJECT,
                        ["pidfile", target], timeout=3, serving=True))
    for level in ("", "TRACE", "verbose", "-1"):
        out.append(Case("daemon", f"serve --log-level={level!r}", argv([f"--log-level={level}"]), REJECT, ["log"],
                        timeout=3, serving=True))
    return out
