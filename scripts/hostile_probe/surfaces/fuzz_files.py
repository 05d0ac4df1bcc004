"""The fuzzer's files: replay files and shard results that are damaged, of another format
version, huge, deeply nested or not files at all, through `replay` and `fuzz-merge`. `replay`
must not answer 1 ("reproduced") for a file it cannot use."""

import json
import os
import subprocess

from ..case import ACCEPT, EITHER, REJECT, Case


def valid_files(binary, ws):
    """A replay file and a shard result made by this binary from the failing scenario."""
    replay = ws.path("valid.replay.json")
    result = ws.path("valid.result.json")
    with open(result, "wb") as out:
        subprocess.run([binary, "fuzz", ws.failing, "--runs", "2", "--shrink-budget", "0", "--no-shrink-workload", "--no-pcap",
                        "--replay-out", replay, "--format", "json"], stdout=out, stderr=subprocess.DEVNULL, timeout=120,
                       env=dict(os.environ, SWIFT_BACKTRACE="enable=no"))
    return replay, result


def mutations(document):
    """(name, text, expect) for one JSON object."""
    out = [("as written", json.dumps(document), ACCEPT)]
    for key in list(document):
        without = dict(document)
        del without[key]
        out.append((f"without {key}", json.dumps(without), REJECT if key not in ("mutant", "checksExpectations", "reduction",
                                                                                   "pct", "timeLimit", "shrunk") else EITHER))
        for label, value in (("null", None), ("a string", "x"), ("a list", [1]), ("an object", {"a": 1}), ("-1", -1),
                             ("1e300", 1e300), ("2^64", 2**64), ("true", True)):
            changed = dict(document)
            changed[key] = value
            out.append((f"{key} set to {label}", json.dumps(changed), EITHER))
    for version in (0, 2, -1, 10**9, "1", 1.5):
        if "format" in document:
            changed = dict(document, format=version)
            out.append((f"format {version!r}", json.dumps(changed), REJECT))
    text = json.dumps(document)
    out += [
        ("empty", "", REJECT), ("not JSON", "hello", REJECT), ("a list", "[]", REJECT), ("cut in half", text[: len(text) // 2], REJECT),
        ("10000 nested arrays", "[" * 10_000 + "]" * 10_000, REJECT), ("100000 nested objects", '{"a":' * 100_000 + "1" + "}" * 100_000, REJECT),
        ("a byte-order mark", "\ufeff" + text, EITHER), ("trailing garbage", text + "x", REJECT),
        ("17 MB of spaces", " " * (17 << 20) + text, REJECT),
    ]
    if "decisions" in document:
        out.append(("a million decisions", json.dumps(dict(document, decisions=[0] * 1_000_000)), EITHER))
        out.append(("a negative decision", json.dumps(dict(document, decisions=[1, -2])), REJECT))
    return out


def cases(ws, binary):
    replay, result = valid_files(binary, ws)
    out = []
    for source, command in ((replay, "replay"), (result, "fuzz-merge")):
        try:
            with open(source) as file:
                document = json.load(file)
        except (OSError, ValueError):
            continue
        for number, (name, text, expect) in enumerate(mutations(document)):
            path = ws.write(f"fuzz-files/{command}-{number}.json", text)
            argv = [command, path] + (["--scenario", ws.failing] if command == "replay" else [])
            out.append(Case("fuzz-files", f"{command}: {name}", argv, expect, [path, path.rsplit("/", 1)[1], ws.failing],
                            forbidden_exits=(1,) if command == "replay" and expect == REJECT else (),
                            answer_exits=(1, 3) if command == "replay" else (1,), timeout=60))
    for label, path in (("a directory", ws.directory), ("a missing file", ws.missing), ("an empty path", "")):
        for command in ("replay", "fuzz-merge"):
            out.append(Case("fuzz-files", f"{command} of {label}", [command, path], REJECT, [path or "''", "path"],
                            forbidden_exits=(1,) if command == "replay" else ()))
    for command in ("replay", "fuzz-merge"):
        def setup(case):
            case.argv[1] = ws.device("zero")
            case.names = [case.argv[1]]
        out.append(Case("fuzz-files", f"{command} of a zero device", [command, "ZERO"], REJECT, [], setup=setup,
                        forbidden_exits=(1,) if command == "replay" else ()))
    return out
