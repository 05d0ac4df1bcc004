"""The probe's workspace: small valid inputs that the surfaces mutate, and device nodes of its
own (never the system's /dev/null or /dev/full: a binary that renames over its target would
replace them)."""

import os
import stat

from . import pcap

# A scenario that runs in well under a second.
SCENARIO = """\
name: probe
duration: 1s
client:
  workload: {connections: 1, requests: 2, request_size: 64, response_size: 256, think_time: 10ms}
expect:
  checkpoints: 0
"""

# The same with a failing expectation, so that fuzz finds a failure at once.
FAILING_SCENARIO = """\
name: probe-failing
duration: 1s
client:
  workload: {connections: 1, requests: 1, request_size: 64, response_size: 256}
always:
  checkpoints: 5
"""

PRIMARY_ARGS = """\
-netdev tap,id=hn0,vhost=off,script=/etc/qemu-ifup,downscript=/etc/qemu-ifdown
-device e1000,id=e0,netdev=hn0,mac=52:a4:00:12:78:66
-chardev socket,id=mirror0,host=127.0.0.1,port=9003,server=on,wait=off
-chardev socket,id=compare1,host=127.0.0.1,port=9004,server=on,wait=off
-chardev socket,id=compare0,host=127.0.0.1,port=9001,server=on,wait=off
-chardev socket,id=compare0-0,host=127.0.0.1,port=9001
-chardev socket,id=compare_out,host=127.0.0.1,port=9005,server=on,wait=off
-chardev socket,id=compare_out0,host=127.0.0.1,port=9005
-object iothread,id=iothread
-object filter-mirror,id=m0,netdev=hn0,queue=tx,outdev=mirror0
-object filter-redirector,id=redire0,netdev=hn0,queue=rx,indev=compare_out
-object filter-redirector,id=redire1,netdev=hn0,queue=rx,outdev=compare0
-object colo-compare,id=comp0,primary_in=compare0-0,secondary_in=compare1,outdev=compare_out0,iothread=iothread
"""

SECONDARY_ARGS = """\
-netdev tap,id=hn0,vhost=off,script=/etc/qemu-ifup,downscript=/etc/qemu-ifdown
-device e1000,netdev=hn0,mac=52:a4:00:12:78:66
-chardev socket,id=red0,host=127.0.0.1,port=9003,reconnect=1
-chardev socket,id=red1,host=127.0.0.1,port=9004,reconnect=1
-object filter-redirector,id=f1,netdev=hn0,queue=tx,indev=red0
-object filter-redirector,id=f2,netdev=hn0,queue=rx,outdev=red1
-object filter-rewriter,id=rew0,netdev=hn0,queue=all
"""


class Workspace:
    def __init__(self, root):
        self.root = root
        os.makedirs(root, exist_ok=True)
        self.scenario = self.write("probe.yaml", SCENARIO)
        self.failing = self.write("failing.yaml", FAILING_SCENARIO)
        self.primary_args = self.write("primary.args", PRIMARY_ARGS)
        self.secondary_args = self.write("secondary.args", SECONDARY_ARGS)
        frames = pcap.exchange()
        self.primary_pcap = self.write("primary.pcap", pcap.capture(frames))
        self.secondary_pcap = self.write("secondary.pcap", pcap.capture(frames, step_us=1200))
        self.guest_pcap = self.write("guest.pcap", pcap.capture(frames))
        self.directory = os.path.join(root, "a-directory")
        os.makedirs(self.directory, exist_ok=True)
        self.missing = os.path.join(root, "no-such-file")
        self.regular = self.write("regular-file", "not a directory\n")
        self.counter = 0

    def path(self, name):
        return os.path.join(self.root, name)

    def write(self, name, content):
        path = self.path(name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as out:
            out.write(content.encode() if isinstance(content, str) else content)
        return path

    def fresh(self, stem):
        """A path no earlier case used."""
        self.counter += 1
        return self.path(f"{stem}-{self.counter}")

    def device(self, kind):
        """A private character device node: 'null' (1,3), 'full' (1,7) or 'zero' (1,5)."""
        minor = {"null": 3, "zero": 5, "full": 7}[kind]
        path = self.fresh(f"dev-{kind}")
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, minor))
        return path

    def fifo(self):
        path = self.fresh("fifo")
        os.mkfifo(path)
        return path


def is_char_device(path):
    try:
        return stat.S_ISCHR(os.lstat(path).st_mode)
    except OSError:
        return False


def is_fifo(path):
    try:
        return stat.S_ISFIFO(os.lstat(path).st_mode)
    except OSError:
        return False
