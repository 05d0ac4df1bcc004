"""Scenario files: every field given hostile values, deep nesting, alias bombs, broken YAML,
files that are not text, timeline events outside the run; through `run` and the other commands
that read a scenario."""

import copy

from ..case import ACCEPT, EITHER, REJECT, Case
from ..yamltext import Raw, document
from . import values

DAY = 86_400e9
U32 = 2**32 - 1
I64 = 2**63 - 1

BASE = {
    "name": "probe",
    "duration": "1s",
    "client": {"workload": {"connections": 1, "requests": 2, "request_size": 64, "response_size": 256,
                            "think_time": "10ms"}},
    "expect": {"checkpoints": {"min": 0}},
}

INT_TEXTS = [t for t, _ in values.NUMBERS if "\n" not in t] + ["1_000", "1e3", "~", "[]", "{}", "'7'", "true"]
DURATION_TEXTS = [t for t, _ in values.DURATIONS] + ["5", "1.5", "~", "[]", "{}", "20_000 ms", "-5ms", "1e3ms",
                                                    "9223372036854775807ns", "9223372036854775808ns", "1000000000s"]
RATE_TEXTS = ["0", "1", "1/100", "0/5", "5/0", "101%", "50%", "-1%", "1000001ppm", "250ppm", "2", "1/1", "3/2",
              "18446744073709551616/1", "1/18446744073709551616", "abc", "~", "0.5"]


def duration_ns(text):
    """The nanoseconds a scenario duration stands for (a unit required), or None."""
    text = text.strip().replace("_", "").replace(" ", "")
    if text in ("0", "-0ms"):
        return 0
    for unit, scale in (("ms", 1e6), ("us", 1e3), ("ns", 1), ("s", 1e9)):
        if text.endswith(unit):
            number = text[: -len(unit)]
            try:
                value = float(number)
            except ValueError:
                return None
            if value != value or abs(value * scale) >= 9e18:
                return None
            return value * scale
    return None


def int_value(text):
    text = text.replace("_", "")
    try:
        return int(text) if text.lstrip("+-").isdigit() else None
    except ValueError:
        return None


def field(path, kind, lo=None, hi=None, costly=None, whole_ms=False, choices=None):
    return {"path": path, "kind": kind, "lo": lo, "hi": hi, "costly": costly, "whole_ms": whole_ms,
            "choices": choices}


def stack_fields(prefix):
    return [
        field(prefix + ("mss",), "int", 64, 65_495),
        field(prefix + ("mtu",), "int", 576, 65_535),
        field(prefix + ("isn",), "int", 0, U32),
        field(prefix + ("receive_buffer",), "int", 1, 1 << 30),
        field(prefix + ("send_buffer",), "int", 1, 1 << 30),
        field(prefix + ("initial_window",), "int", 1, 65_535),
        field(prefix + ("initial_rto",), "duration", 1, DAY),
        field(prefix + ("min_rto",), "duration", 1, DAY),
        field(prefix + ("time_wait",), "duration", 0, DAY),
        field(prefix + ("nagle",), "bool"),
        field(prefix + ("ip_id",), "choice", choices=["sequential", "random", "zero_df"]),
        field(prefix + ("delayed_ack", "timeout"), "duration", 1, DAY),
        field(prefix + ("delayed_ack", "segments"), "int", 1, 65_535),
    ]


FIELDS = [
    field(("seed",), "int", 0, I64),
    field(("duration",), "duration", 1, 100 * DAY),
    field(("settle",), "duration", 0, DAY),
    field(("end_when_done",), "bool"),
    field(("topology", "compare", "compare_timeout"), "duration", 1e6, U32 * 1e6, whole_ms=True),
    field(("topology", "compare", "expired_scan_cycle"), "duration", 1e6, U32 * 1e6, whole_ms=True),
    field(("topology", "compare", "max_queue_size"), "int", 1, U32),
    field(("guests", "default_response_size"), "int", 0, 1 << 28, costly=1 << 20),
    field(("guests", "primary", "processing_delay"), "duration", 0, DAY),
    field(("guests", "secondary", "processing_jitter"), "duration", 0, DAY),
    field(("guests", "secondary", "token_rate"), "rate"),
    field(("client", "workload", "connections"), "int", 1, 100_000, costly=200),
    field(("client", "workload", "requests"), "int", 1, 1_000_000, costly=200),
    field(("client", "workload", "request_size"), "int", 0, 1 << 28, costly=1 << 20),
    field(("client", "workload", "response_size"), "int", 0, 1 << 28, costly=1 << 20),
    field(("client", "workload", "think_time"), "duration", 0, DAY),
    field(("client", "workload", "connection_interval"), "duration", 0, DAY),
    field(("client", "workload", "port"), "int", 1, 65_535),
    field(("client", "udp_queries", "count"), "int", 1, 65_535, costly=1000),
    field(("client", "udp_queries", "interval"), "duration", 0, DAY),
    field(("client", "udp_queries", "query_size"), "int", 4, 1_400),
    field(("client", "udp_queries", "timeout"), "duration", 1, DAY),
    field(("client", "udp_queries", "attempts"), "int", 1, 1_000),
    field(("client", "link", "latency"), "duration", 0, DAY),
    field(("client", "link", "jitter"), "duration", 0, DAY),
    field(("client", "link", "loss"), "rate"),
    field(("client", "link", "reorder_delay"), "duration", 1, DAY),
    field(("pipes", "intra_host_latency"), "duration", 0, DAY),
    field(("pipes", "cross_host_latency"), "duration", 0, DAY),
    field(("pipes", "jitter"), "duration", 0, DAY),
    field(("pipes", "capacity"), "int", 1, 1 << 30),
    field(("controller", "checkpoint_delay"), "duration", 1e6, U32 * 1e6, whole_ms=True),
    field(("controller", "channel_latency"), "duration", 0, DAY),
    field(("controller", "transfer"), "duration", 0, DAY),
    field(("controller", "transfer_ns_per_byte"), "int", 0, 1_000_000_000),
    field(("controller", "transfer_jitter"), "duration", 0, DAY),
    field(("controller", "load"), "duration", 0, DAY),
    field(("controller", "failover_delay"), "duration", 0, DAY),
    field(("watchdog", "progress_timeout"), "duration", 1, 100 * DAY),
    field(("watchdog", "max_events"), "int", 1, 500_000_000, costly=10_000_000),
    field(("profiles", "compare"), "choice", choices=["upstream", "qemu-6.2", "fixed"]),
    field(("profiles", "framing"), "choice", choices=["qemu", "corrected"]),
] + stack_fields(("guests", "stack")) + stack_fields(("client", "stack"))


def texts_for(spec):
    kind = spec["kind"]
    if kind == "int":
        return INT_TEXTS
    if kind == "duration":
        return DURATION_TEXTS
    if kind == "rate":
        return RATE_TEXTS
    if kind == "bool":
        return ["true", "false", "yes", "no", "on", "1", "True", "~", "[]", ""]
    return spec["choices"] + ["", "nope", spec["choices"][0].upper(), "~", "[]", "{a: 1}", spec["choices"][0] + " "]


def expectation(spec, text):
    kind = spec["kind"]
    if kind == "int":
        value = int_value(text)
    elif kind == "duration":
        value = duration_ns(text)
        if value is not None and spec["whole_ms"] and value % 1e6:
            return REJECT
    elif kind == "bool":
        return ACCEPT if text in ("true", "false") else REJECT
    elif kind == "choice":
        return ACCEPT if text in spec["choices"] else REJECT
    else:
        return EITHER if text not in ("abc", "~", "-1%", "101%", "5/0", "3/2", "1000001ppm", "2", "0.5") else REJECT
    if value is None or not spec["lo"] <= value <= spec["hi"]:
        return REJECT
    if spec["costly"] is not None and value > spec["costly"]:
        return EITHER
    return ACCEPT


def with_value(path, text, base=BASE):
    doc = copy.deepcopy(base)
    node = doc
    for key in path[:-1]:
        node = node.setdefault(key, {})
    node[path[-1]] = Raw(quote(text))
    return document(doc)


def quote(text):
    """YAML text for a scalar: plain when YAML keeps it a plain scalar, else single-quoted."""
    if text in ("~", "[]", "{}", "{a: 1}") or text.startswith("'"):
        return text
    if text == "" or text != text.strip() or any(c in text for c in ":#{}[],&*!|>%@`\"") or text in ("-", "--"):
        return "'" + text.replace("'", "''") + "'"
    return text


TIMELINE_AT = [("-1ms", REJECT), ("0", ACCEPT), ("500ms", ACCEPT), ("1s", EITHER), ("2s", REJECT), ("3600s", REJECT),
               ("1ms..2ms", ACCEPT), ("2ms..1ms", REJECT), ("..", REJECT), ("1ms..", REJECT), ("..1ms", REJECT),
               ("1ms...2ms", REJECT), ("0..5s", REJECT), ("9223372036854775807ns", REJECT), ("1e308s", REJECT),
               ("500", REJECT), ("~", REJECT)]

TIMELINE_ACTIONS = [
    ("crash: primary", ACCEPT), ("crash: both", REJECT), ("crash: ''", REJECT),
    ("diverge_secondary: 1", ACCEPT), ("diverge_secondary: 0", REJECT), ("diverge_secondary: -1", REJECT),
    ("diverge_secondary: 9223372036854775807", EITHER), ("diverge_secondary: 99999999999999999999", REJECT),
    ("stall: {guest: primary, for: 10ms}", ACCEPT), ("stall: {guest: primary, for: 0}", REJECT),
    ("stall: {guest: primary, for: 9223372036854775807ns}", REJECT), ("stall: {guest: x, for: 1ms}", REJECT),
    ("stall: {for: 1ms}", REJECT),
    ("set_checkpoint_delay: 1ns", REJECT), ("set_checkpoint_delay: 10ns", REJECT), ("set_checkpoint_delay: 100ms", ACCEPT),
    ("set_checkpoint_delay: 0", REJECT), ("set_checkpoint_delay: 1.5ms", REJECT), ("set_checkpoint_delay: 5000000000s", REJECT),
    ("force_checkpoint: true", ACCEPT), ("force_checkpoint: false", REJECT), ("force_checkpoint: 3", REJECT),
    ("chardev_fault: {chardev: compare0, kind: corrupt_length}", EITHER), ("chardev_fault: {chardev: nope, kind: corrupt_length}", REJECT),
    ("chardev_fault: {chardev: compare0, kind: nope}", REJECT),
    ("chardev_disconnect: {chardev: compare0, for: 10ms}", ACCEPT), ("chardev_disconnect: {chardev: compare0, for: 9223372036854775807ns}", REJECT),
    ("chardev_disconnect: {chardev: compare0, for: -1ms}", REJECT),
    ("inject_frames: {guest: both, kind: arp}", EITHER), ("inject_frames: {guest: both, kind: arp, count: 10001}", REJECT),
    ("inject_frames: {guest: both, kind: arp, count: 0}", REJECT), ("inject_frames: {guest: nobody, kind: arp}", REJECT),
    ("set_compare_property: {property: compare_timeout, value: 0}", REJECT),
    ("set_compare_property: {property: compare_timeout, value: 99999999999}", REJECT),
    ("set_compare_property: {property: max_queue_size, value: 5}", EITHER),
    ("set_compare_property: {property: nope, value: 5}", REJECT),
    ("set_vnet_hdr_support: {object: comp0, value: on}", EITHER), ("set_vnet_hdr_support: {object: nope, value: on}", REJECT),
    ("set_knobs: {guest: secondary, token_rate: 1/2}", ACCEPT), ("set_knobs: {guest: secondary, processing_delay: -1ms}", REJECT),
    ("set_knobs: {guest: secondary, processing_delay: 9223372036854775807ns}", REJECT),
    ("nope: 1", REJECT), ("crash: primary\n    diverge_secondary: 1", REJECT),
]

EXPECTATIONS = [
    ("checkpoints: {min: -1}", REJECT), ("checkpoints: {min: 5, max: 1}", REJECT), ("checkpoints: 99999999999999999999", REJECT),
    ("checkpoints: {}", REJECT), ("checkpoint_reasons: [nope]", REJECT), ("checkpoint_reasons: nope", REJECT),
    ("no_checkpoint_before: -1ms", REJECT), ("no_checkpoint_before: 9223372036854775807ns", EITHER),
    ("client_received_bytes: {max: -5}", REJECT), ("workload_complete: maybe", REJECT), ("failover: both", REJECT),
    ("stop_reason: nope", REJECT), ("invariants: {nope: holds}", REJECT), ("invariants: {output_commit: maybe}", REJECT),
    ("counters: {nope: 1}", REJECT), ("counters: {compare_released: {min: 2, max: 1}}", REJECT),
    ("releases: [{primary_index: -1, outcome: released}]", REJECT), ("releases: [{connection: x}]", REJECT),
    ("releases: [{primary_index: 99999999999999999999, outcome: released}]", REJECT), ("nope: 1", REJECT),
]


def basename(path):
    return path.rsplit("/", 1)[1]


def scenario_file(ws, text, stem="scenario"):
    path = ws.fresh(f"scenarios/{stem}") + ".yaml"
    ws.write(path[len(ws.root) + 1:], text)
    return path


def nested(kind, depth):
    if kind == "flow-list":
        return "[" * depth + "]" * depth
    if kind == "flow-map":
        return "{a: " * depth + "1" + "}" * depth
    if kind == "block-list":
        return "\n" + "".join(" " * i + "-\n" for i in range(depth))
    return "\n" + "".join(" " * i + "a:\n" for i in range(depth))


def laughs(levels, width):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x]"]
    for level in range(1, levels):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * width) + "]")
    return "\n".join(lines)


def structural(ws):
    """(name, text, expect): YAML that attacks the parser rather than one field."""
    base = document(BASE)
    out = []
    for kind in ("flow-list", "flow-map", "block-list", "block-map"):
        for depth in ((100, 1000, 5000, 10_000, 100_000) if kind.startswith("flow") else (100, 1000, 3000)):
            text = nested(kind, depth)
            out.append((f"{kind} nested {depth} deep at the root", text + "\n", REJECT))
            for key in ("client", "timeline", "expect", "name"):
                out.append((f"{kind} nested {depth} deep under {key}", base.replace(
                    f"{key}:", f"{key}: {text}\n{key}_was:", 1) if key in base else base + f"{key}: {text}\n", REJECT))
            out.append((f"{kind} nested {depth} deep as a key", f"? {text}\n: 1\n" + base, REJECT))
    for levels, width in ((3, 3), (6, 8), (9, 10), (12, 10)):
        out.append((f"alias bomb {levels}x{width} at the root", laughs(levels, width) + "\n" + base, REJECT))
        out.append((f"alias bomb {levels}x{width} in expect", base.replace(
            "expect:", laughs(levels, width).replace("a0:", "x_a0:", 1) + "\nexpect:"), REJECT))
        out.append((f"alias bomb {levels}x{width} as the timeline", laughs(levels, width) + f"\ntimeline: *a{levels - 1}\n"
                    + base, REJECT))
    out += [
        ("empty file", "", REJECT), ("only a comment", "# nothing\n", REJECT), ("only ---", "---\n", REJECT),
        ("a scalar", "hello\n", REJECT), ("a list", "- 1\n- 2\n", REJECT), ("null", "~\n", REJECT),
        ("two documents", base + "---\n" + base, REJECT), ("tabs for indentation", base.replace("  ", "\t"), REJECT),
        ("a byte-order mark", "\ufeff" + base, ACCEPT), ("CRLF line ends", base.replace("\n", "\r\n"), ACCEPT),
        ("a NUL byte", base.replace("probe", "pro\0be"), REJECT), ("an unclosed quote", base + "name2: 'x\n", REJECT),
        ("an unclosed flow", "client: {workload: [\n", REJECT), ("a tag", base.replace("1s", "!!binary 1s"), REJECT),
        ("a custom tag", base.replace("1s", "!foo 1s"), REJECT), ("a merge key", "x: &x {duration: 1s}\n<<: *x\n" + base, REJECT),
        ("duplicate keys", base + "duration: 2s\n", REJECT), ("10000 unknown keys", base + "".join(
            f"key{i}: {i}\n" for i in range(10_000)), REJECT),
        ("a 10 MB name", base.replace("name: probe", "name: " + "n" * 10_000_000), EITHER),
        ("a 1 MB key", base + "k" * 1_000_000 + ": 1\n", REJECT), ("an undefined alias", base + "x: *nope\n", REJECT),
        ("an anchor reused as a mapping key", "&a k: 1\n*a : 2\n" + base, REJECT),
        ("a long flow list of durations", base + "timeline: [" + ", ".join(["{at: 1ms, crash: primary}"] * 2000) + "]\n", EITHER),
        ("100000 timeline events", base + "timeline:\n" + "  - {at: 1ms, force_checkpoint: true}\n" * 100_000, EITHER),
        ("a control character", base.replace("probe", "pro\x1bbe"), REJECT),
        ("a lone surrogate escape", base.replace("name: probe", 'name: "\\ud800"'), EITHER),
        ("a 4 GB block scalar indicator", base.replace("name: probe", "name: |4294967296\n  x"), REJECT),
    ]
    return out


def binary_files(ws):
    return [("latin-1 bytes", document(BASE).replace("probe", "pr\xe9be").encode("latin-1"), REJECT),
            ("random bytes", bytes(range(256)) * 40, REJECT), ("UTF-16", document(BASE).encode("utf-16"), REJECT),
            ("a truncated UTF-8 sequence", document(BASE).encode() + b"\xe2\x82", REJECT)]


def cases(ws):
    out = []
    scenario_run = ["run"]
    for spec in FIELDS:
        for text in texts_for(spec):
            expect = expectation(spec, text)
            path = scenario_file(ws, with_value(spec["path"], text))
            key = spec["path"][-1]
            if text.startswith("'") and spec["kind"] == "int":
                expect = EITHER  # a quoted number: lenient readers take it, strict ones refuse it
            out.append(Case("scenarios", f"{'.'.join(spec['path'])}: {text!r}", scenario_run + [path], expect,
                            [key, "scenario", basename(path)], timeout=30, tty=True))
    for at, at_expect in TIMELINE_AT:
        for action, action_expect in TIMELINE_ACTIONS[::4]:
            expect = REJECT if REJECT in (at_expect, action_expect) else (EITHER if EITHER in (at_expect, action_expect) else ACCEPT)
            text = document(BASE) + f"timeline:\n  - at: {quote(at)}\n    {action}\n"
            path = scenario_file(ws, text)
            out.append(Case("scenarios", f"timeline at {at}: {action}", ["run", path], expect,
                            ["timeline", "at", action.split(":")[0], basename(path)], timeout=30, tty=True))
    for action, expect in TIMELINE_ACTIONS:
        text = document(BASE) + f"timeline:\n  - at: 100ms\n    {action}\n"
        path = scenario_file(ws, text)
        out.append(Case("scenarios", f"timeline: {action}", ["run", path], expect,
                        ["timeline", action.split(":")[0], basename(path)], timeout=30, tty=True))
    for expectation_text, expect in EXPECTATIONS:
        text = document({k: v for k, v in BASE.items() if k != "expect"}) + f"expect:\n  {expectation_text}\n"
        path = scenario_file(ws, text)
        out.append(Case("scenarios", f"expect {expectation_text}", ["run", path], expect,
                        [expectation_text.split(":")[0], "expect", basename(path)], timeout=30))
    for name, text, expect in structural(ws):
        path = scenario_file(ws, text, "structural")
        commands = [["run", path]]
        if "deep" in name and ("10000" in name or "100000" in name or "3000" in name) or "bomb 12" in name or "bomb 9" in name:
            commands += [["fuzz", path, "--runs", "1", "--no-pcap", "--replay-out", ws.fresh("r.json")],
                         ["sweep-failover", path, "--max-points", "1"], ["ladder", path], ["report", path, "--html", ws.fresh("h.html")],
                         ["walk", path, "--frame", "1", "--summary"], ["qemu-args", path], ["figure", path],
                         ["test", ws.root + "/scenarios", "--filter", path.rsplit("/", 1)[1]]]
        for argv in commands:
            out.append(Case("scenarios", f"{argv[0]}: {name}", argv, expect if argv[0] != "test" else EITHER,
                            ["structural", "scenario", path.rsplit("/", 1)[1]], timeout=30,
                            answer_exits=(1,) if argv[0] == "test" else ()))
    for name, data, expect in binary_files(ws):
        path = ws.write(f"scenarios/binary-{len(out)}.yaml", data)
        out.append(Case("scenarios", f"run: {name}", ["run", path], expect, [path.rsplit("/", 1)[1]]))
    for label, path in (("a missing file", ws.missing), ("a directory", ws.directory), ("an empty path", "")):
        for argv in (["run", path], ["fuzz", path, "--runs", "1"], ["sweep-failover", path], ["ladder", path],
                     ["report", path, "--html", ws.fresh("h.html")], ["walk", path, "--frame", "1"], ["qemu-args", path],
                     ["figure", path], ["test", path]):
            out.append(Case("scenarios", f"{argv[0]} of {label}", argv, REJECT, [path or "''", "scenario", "file", "path"]))
    for argv in (["run", "ZERO"], ["fuzz", "ZERO", "--runs", "1"], ["ladder", "ZERO"], ["qemu-args", "ZERO"]):
        def setup(case, index=1):
            case.argv[index] = ws.device("zero")
        out.append(Case("scenarios", f"{argv[0]} of a zero device", list(argv), REJECT, ["dev-zero"], setup=setup, timeout=20))
    return out
