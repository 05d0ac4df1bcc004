"""Every numeric option of every command, given hostile values: each must be refused with a
clear error naming the option when it is outside the documented range (docs/options.md), and
taken when inside (with a cost estimate refusing absurd work)."""

import math
import re

from ..case import ACCEPT, EITHER, REJECT, Case
from . import values

INT_TEXT = re.compile(r"^[+-]?[0-9]+$")
DAY_NS = 86_400e9


def parse_int(text):
    return int(text) if INT_TEXT.match(text) else None


def parse_double(text):
    """What Swift's Double(String) reads: decimal, hexadecimal (0x1p3), inf and nan."""
    if text.strip() != text or not text:
        return None
    try:
        return float(text)
    except ValueError:
        try:
            return float.fromhex(text)
        except ValueError:
            return None


# kind, lo, hi (inclusive, in the option's unit; durations in ns), costly-above (EITHER beyond).
def spec(name, kind, lo, hi, costly=None, whole_ms=False, absurd=None):
    """`costly`: inputs above it may be refused for their cost; `absurd`: above it they must be."""
    return {"name": name, "kind": kind, "lo": lo, "hi": hi, "costly": costly, "whole_ms": whole_ms, "absurd": absurd}


U64 = 2**64 - 1
U32 = 2**32 - 1
RUN_BASE = ["run", "--no-baseline", "--end-when-done", "--no-divergence", "--connections", "1", "--requests", "1",
            "--duration", "2s"]


def commands(ws):
    scenario = ws.scenario
    return [
        (RUN_BASE, [
            spec("--seed", "int", 0, U64),
            spec("--duration", "duration", 1, 100 * DAY_NS, costly=3600e9),
            spec("--checkpoint-delay", "duration", 1e6, U32 * 1e6, whole_ms=True),
            spec("--lose-primary-at", "duration", 0, 2e9),
            spec("--lose-secondary-at", "duration", 0, 2e9),
            spec("--secondary-delay", "duration", 0, 2e9),
            spec("--transfer", "duration", 0, 2e9),
            spec("--think-ms", "int", 0, 3_600_000),
            spec("--latency-us", "int", 0, 60_000_000),
            spec("--jitter-us", "int", 0, 60_000_000),
            spec("--loss-ppm", "int", 0, 1_000_000),
            spec("--duplicate-ppm", "int", 0, 1_000_000),
            spec("--reorder-ppm", "int", 0, 1_000_000),
        ]),
        (["run", "--no-baseline", "--end-when-done", "--duration", "2s"], [
            spec("--connections", "int", 1, 100_000, costly=200),
            spec("--requests", "int", 1, 1_000_000, costly=200),
            spec("--request-size", "int", 0, 1 << 28, costly=1 << 20),
            spec("--response-size", "int", 0, 1 << 28, costly=1 << 20),
            spec("--diverge-at", "duration", 0, 2e9),
        ]),
        (["run", "--topology", "direct", "--connections", "1", "--requests", "1"], [
            spec("--time-limit-s", "int", 1, 86_400),
        ]),
        (["compare", ws.primary_pcap, ws.secondary_pcap], [
            spec("--compare-timeout", "int", 1, U32),
            spec("--expired-scan-cycle", "int", 1, U32),
            spec("--max-queue-size", "int", 1, U32),
            spec("--checkpoint-at", "int", 0, 2**63 // 1000),
        ]),
        (["rewrite", ws.guest_pcap, "--guest-ip", "192.168.100.100", "--out", ws.path("rewrite-out.pcap")], [
            spec("--checkpoint-at", "int", 0, 2**63 // 1000),
            spec("--failover-at", "int", 0, 2**63 // 1000),
        ]),
        (["ladder", scenario], [
            spec("--duration", "duration", 1, 100 * DAY_NS, costly=3600e9),
            spec("--from", "duration", 0, 1e9),
            spec("--to", "duration", 0, 1e9),
            spec("--max-rows", "int", 1, 1_000_000),
        ]),
        (["report", scenario, "--html", ws.path("report.html")], [
            spec("--duration", "duration", 1, 100 * DAY_NS, costly=3600e9),
        ]),
        (["walk", scenario, "--summary"], [
            spec("--frame", "int", 1, 20),
            spec("--guest-frame", "int", 1, 20),
        ]),
        (["fuzz", scenario, "--no-pcap", "--replay-out", ws.path("fuzz.replay.json"), "--runs", "2"], [
            spec("--seed", "int", 0, U64),
            spec("--jobs", "int", 1, 1024, costly=64),
            spec("--shrink-budget", "int", 0, 1_000_000),
        ]),
        (["fuzz", scenario, "--no-pcap", "--replay-out", ws.path("fuzz.replay.json")], [
            spec("--runs", "int", 1, 10**12, costly=200, absurd=10**9),
            spec("--time", "double", 1e-9, 604_800, costly=2),
        ]),
        (["fuzz", scenario, "--no-pcap", "--replay-out", ws.path("fuzz.replay.json"), "--strategy", "exhaustive"], [
            spec("--runs", "int", 1, 10**12, costly=200, absurd=10**9),
            spec("--time", "double", 1e-9, 604_800, costly=2),
        ]),
        (["fuzz", scenario, "--no-pcap", "--replay-out", ws.path("fuzz.replay.json"), "--runs", "2", "--strategy", "pct"], [
            spec("--depth", "int", 1, 1000),
        ]),
        (["sweep-failover", scenario, "--max-points", "2"], [
            spec("--seed", "int", 0, U64),
            spec("--jobs", "int", 1, 1024, costly=64),
            spec("--from", "int", 0, 40),
        ]),
        (["sweep-failover", scenario], [
            spec("--max-points", "int", 0, 1_000_000, costly=5),
        ]),
        (["trace", "--seed", "1"], [
            spec("--events", "int", 1, 10_000_000, costly=100_000),
        ]),
        (["bench", "--only", "no-such-case-for-the-probe"], [
            spec("--iterations", "int", 1, 10**12),
        ]),
        (["serve", "--", "-M", "none"], [
            spec("--max-pending-output", "int", 0, 1 << 24),
            spec("--shutdown-timeout", "double", 0, 86_400),
        ]),
    ]


def expectation(option, text):
    kind = option["kind"]
    if kind == "int":
        value = parse_int(text)
    elif kind == "double":
        value = parse_double(text)
        if value is not None and math.isnan(value):
            value = None
    else:
        value = dict(values.DURATIONS).get(text)
        if value is not None and option["whole_ms"] and value % 1e6:
            return REJECT
    if value is None or not option["lo"] <= value <= option["hi"]:
        return REJECT
    if option["absurd"] is not None and value > option["absurd"]:
        return REJECT
    if option["costly"] is not None and value > option["costly"]:
        return EITHER
    return ACCEPT


def texts(kind):
    if kind == "int":
        return [text for text, _ in values.NUMBERS]
    if kind == "double":
        return [text for text, _ in values.DOUBLES]
    return [text for text, _ in values.DURATIONS]


def cases(ws):
    out = []
    for base, options in commands(ws):
        for option in options:
            name = option["name"]
            for text in texts(option["kind"]):
                expect = expectation(option, text)
                forms = []
                if text.startswith("-") or not text:
                    forms.append([f"{name}={text}"])
                if not text.startswith("-") or text in ("-1", "-1s", "-0"):
                    forms.append([name, text])
                for form in forms:
                    argv = base + form
                    if base[0] == "serve":
                        argv = ["serve"] + form + base[1:]
                        if expect != REJECT:
                            continue  # a valid value would start the daemon: the daemon surface covers it
                    label = f"{base[0]} {' '.join(form)!r}"
                    out.append(Case(
                        surface="options", name=label, argv=argv, expect=expect,
                        names=[name, name.lstrip("-")] + ([text] if text else []) + (["benchmark"] if base[0] == "bench" else []),
                        timeout=30, tty=base[0] in ("run", "fuzz", "sweep-failover")))
    return out
