"""Where commands write: device nodes and FIFOs (never replaced), a full device, directories,
missing folders, over-long names; stdout on a full device; fuzz's artefacts when their
place cannot be written."""

import os
import threading

from ..case import ACCEPT, EITHER, REJECT, Case
from ..fixtures import is_char_device, is_fifo


def targets(ws):
    """(label, make-path, expect, kind): kind says what must still be there afterwards."""
    return [
        ("a null device", lambda: ws.device("null"), ACCEPT, "chr"),
        ("a full device", lambda: ws.device("full"), REJECT, "chr"),
        ("a FIFO with a reader", lambda: reading_fifo(ws), ACCEPT, "fifo"),
        ("a directory", lambda: fresh_directory(ws), REJECT, "dir"),
        ("a missing folder", lambda: ws.fresh("missing") + "/sub/out", REJECT, None),
        ("a regular file as a folder", lambda: ws.regular + "/out", REJECT, None),
        ("an over-long name", lambda: ws.path("n" * 300), REJECT, None),
        ("an empty path", lambda: "", REJECT, None),
        ("/proc/version", lambda: "/proc/version", REJECT, None),
        ("a symlink to a null device", lambda: symlink_to(ws, ws.device("null")), ACCEPT, "link"),
    ]


def reading_fifo(ws):
    path = ws.fifo()

    def drain():
        with open(path, "rb") as fifo:
            while fifo.read(65536):
                pass
    threading.Thread(target=drain, daemon=True).start()
    return path


def fresh_directory(ws):
    path = ws.fresh("dir")
    os.makedirs(path)
    return path


def symlink_to(ws, target):
    path = ws.fresh("link")
    os.symlink(target, path)
    return path


def still_there(path_holder, kind):
    def check(result):
        path = path_holder[0]
        if kind == "chr" and not is_char_device(path):
            return "silent", f"the device node {path} was replaced"
        if kind == "fifo" and not is_fifo(path):
            return "silent", f"the FIFO {path} was replaced"
        if kind == "link" and not os.path.islink(path):
            return "silent", f"the symlink {path} was replaced"
        if kind == "link" and not is_char_device(os.path.realpath(path)):
            return "silent", "the device behind the symlink was replaced"
        if kind == "dir" and not os.path.isdir(path):
            return "silent", f"the directory {path} was replaced"
        return None
    return check


def commands(ws):
    """(name, argv with TARGET, expect on a good target)."""
    s = ws.scenario
    return [
        ("run --trace", ["run", "--no-baseline", "--end-when-done", "--connections", "1", "--requests", "1", "--trace", "TARGET"]),
        ("run FILE --trace", ["run", s, "--trace", "TARGET"]),
        ("run --pcap-dir", ["run", s, "--pcap-dir", "TARGET"]),
        ("ladder --svg", ["ladder", s, "--svg", "TARGET"]),
        ("report --html", ["report", s, "--html", "TARGET"]),
        ("fuzz --replay-out", ["fuzz", ws.failing, "--runs", "1", "--no-pcap", "--shrink-budget", "0", "--no-shrink-workload",
                               "--replay-out", "TARGET"]),
        ("fuzz --pcap-dir", ["fuzz", ws.failing, "--runs", "1", "--shrink-budget", "0", "--no-shrink-workload",
                             "--replay-out", ws.fresh("replay") + ".json", "--pcap-dir", "TARGET"]),
        ("sweep-failover --trace", ["sweep-failover", s, "--from", "1", "--to", "1", "--trace", "TARGET"]),
        ("compare --out", ["compare", ws.primary_pcap, ws.secondary_pcap, "--out", "TARGET"]),
        ("rewrite --out", ["rewrite", ws.guest_pcap, "--guest-ip", "192.168.100.100", "--out", "TARGET"]),
    ]


def stdout_commands(ws):
    s = ws.scenario
    return [
        ["run", s], ["run", "--no-baseline", "--end-when-done", "--connections", "1", "--requests", "1"],
        ["test", ws.root, "--filter", "probe.yaml"], ["demo"], ["compare", ws.primary_pcap, ws.secondary_pcap],
        ["rewrite", ws.guest_pcap, "--guest-ip", "192.168.100.100", "--out", ws.path("stdout-rw.pcap")],
        ["lint", ws.primary_args, ws.secondary_args], ["qemu-args"], ["figure"], ["walk", s, "--frame", "1"],
        ["ladder", s], ["fuzz", s, "--runs", "2", "--no-pcap", "--replay-out", ws.path("stdout.replay.json")],
        ["sweep-failover", s, "--max-points", "2"], ["trace", "--seed", "1"], ["bench", "--list"], ["--help"],
        ["run", "--help"], ["lint", "--list-rules"], ["figure", "--list-components"],
    ]


def cases(ws):
    out = []
    for name, argv in commands(ws):
        for label, make, expect, kind in targets(ws):
            if name.endswith("pcap-dir") and kind in ("chr", "fifo", "link"):
                expect = REJECT
            if name.endswith("pcap-dir") and (kind == "dir" or label == "a missing folder"):
                expect = ACCEPT  # a pcap folder is created with its parents
            holder = [None]

            def setup(case, make=make, holder=holder):
                holder[0] = make()
                case.argv = [holder[0] if token == "TARGET" else token for token in case.argv]
                if holder[0]:
                    case.names = case.names + [holder[0]]
            check = still_there(holder, kind) if kind in ("chr", "fifo", "link") or (kind == "dir" and expect == REJECT) else None
            if name.startswith("fuzz --replay-out") and expect == REJECT:
                check = replay_saved_somewhere(holder)
            if name.startswith("fuzz --pcap-dir") and label == "a regular file as a folder":
                pass
            out.append(Case("outputs", f"{name} to {label}", list(argv), expect,
                            ["TARGET-NAME", "cannot", "write"], setup=setup, check=check, timeout=30,
                            forbidden_exits=(), answer_exits=(1,) if name.startswith("fuzz") else ()))
    # fuzz --pcap-dir naming an existing regular file.
    out.append(Case("outputs", "fuzz --pcap-dir to an existing file",
                    ["fuzz", ws.failing, "--runs", "1", "--shrink-budget", "0", "--no-shrink-workload",
                     "--replay-out", ws.fresh("replay") + ".json", "--pcap-dir", ws.regular], REJECT,
                    [ws.regular, "pcap"], check=pcap_claim(ws.regular), answer_exits=(1,)))
    for argv in stdout_commands(ws):
        out.append(Case("outputs", f"{' '.join(argv[:2])} with stdout on a full device", argv, REJECT,
                        ["stdout", "standard output", "write"], stdout_path="/dev/full", timeout=30,
                        answer_exits=()))
    for case in out:
        if "TARGET-NAME" in case.names:
            option = next(word for word in case.name.split() if word.startswith("--"))
            case.names = ["cannot", "write", "refus", "not a regular file", "output", option]
    return out


def replay_saved_somewhere(holder):
    """A failure's replay must never be lost: written elsewhere, and the place said."""
    def check(result):
        text = result.text
        if "replay" not in text.lower():
            return "silent", "the replay file's fate is not mentioned"
        for word in text.replace("'", " ").replace('"', " ").split():
            if word.endswith(".json") and os.path.isfile(word.rstrip(".,;:")):
                return None
        return "silent", "no readable replay file is named in the output"
    return check


def pcap_claim(path):
    def check(result):
        if result.exit_code in (0, 1) and "pcap" in result.stdout.decode("utf-8", "replace") \
                and "warning" not in result.text.lower() and "cannot" not in result.text.lower():
            return "silent", "says it wrote pcaps into a regular file"
        return None
    return check
