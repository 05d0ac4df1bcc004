"""QEMU command lines through the importer: the lint's inputs (import errors only; the lint's
findings are another suite's), a scenario's `topology: qemu:` (through `qemu-args`), and
`lockstep serve`'s arguments; plus command lines given as option values that start with `-`."""

import os
import random

from ..case import ACCEPT, EITHER, REJECT, Case
from ..fixtures import PRIMARY_ARGS, SECONDARY_ARGS
from ..yamltext import document

HOSTILE_VALUES = ["", "x" * 100_000, "-1", "0", "99999999999999999999", "on", "a,,b", "é", "\x01", " ", "../../x",
                  "$(id)", "`id`", "'", '"', "\\", "a b", "=", ",", "id=x", "4294967296", "0x10", "1e3", "-", "--"]
COMPARE_NUMBERS = [("compare_timeout", "3000", ACCEPT), ("compare_timeout", "0", REJECT), ("compare_timeout", "-1", REJECT),
                   ("compare_timeout", "4294967296", REJECT), ("compare_timeout", "18446744073709551616", REJECT),
                   ("compare_timeout", "abc", REJECT), ("compare_timeout", "", REJECT), ("compare_timeout", "1e3", REJECT),
                   ("expired_scan_cycle", "1", ACCEPT), ("expired_scan_cycle", "0", REJECT),
                   ("expired_scan_cycle", "4294967295", ACCEPT), ("expired_scan_cycle", "4294967296", REJECT),
                   ("max_queue_size", "1", ACCEPT), ("max_queue_size", "0", REJECT), ("max_queue_size", "-5", REJECT),
                   ("max_queue_size", "99999999999999999999999", REJECT), ("vnet_hdr_support", "maybe", REJECT),
                   ("vnet_hdr_support", "on", EITHER), ("nope", "1", REJECT)]


def lines(text):
    return [line for line in text.splitlines() if line.strip()]


def mutations(text, seed):
    """(name, mutated text, expect) for one command line; a mutation that changes nothing
    (its target is not in this command line) is an ordinary input."""
    return [(name, mutated, expect if mutated != text else ACCEPT) for name, mutated, expect in raw_mutations(text, seed)]


# Mutations whose meaning depends on a shell: passed as argv words, the quote is a character.
SHELL_ONLY = ("an unbalanced quote", "a trailing backslash", "a comment line", "tabs", "a NUL-like escape", "an id with a space")


def raw_mutations(text, seed):
    rng = random.Random(seed)
    original = lines(text)
    out = []
    for index, line in enumerate(original):
        option, _, spec = line.partition(" ")
        out.append((f"line {index} removed", "\n".join(original[:index] + original[index + 1:]), EITHER))
        out.append((f"line {index} twice", "\n".join(original[:index + 1] + original[index:]), EITHER))
        out.append((f"line {index} without its value", "\n".join(original[:index] + [option] + original[index + 1:]), REJECT))
        properties = spec.split(",")
        for position, prop in enumerate(properties):
            key = prop.partition("=")[0]
            dropped = ",".join(properties[:position] + properties[position + 1:])
            out.append((f"line {index}: {key} dropped", "\n".join(original[:index] + [f"{option} {dropped}"] + original[index + 1:]), EITHER))
            doubled = ",".join(properties + [prop])
            out.append((f"line {index}: {key} twice", "\n".join(original[:index] + [f"{option} {doubled}"] + original[index + 1:]), EITHER))
            for value in rng.sample(HOSTILE_VALUES, 6):
                changed = ",".join(properties[:position] + [f"{key}={value}"] + properties[position + 1:])
                out.append((f"line {index}: {key}={value[:20]!r}", "\n".join(original[:index] + [f"{option} {changed}"] + original[index + 1:]),
                            EITHER))
    out += [
        ("an unbalanced quote", text + "-name 'x\n", REJECT), ("a trailing backslash", text + "-name x \\", EITHER),
        ("a comment line", "# c\n" + text, ACCEPT), ("tabs", text.replace(" ", "\t"), EITHER),
        ("one huge line", text + "-name " + "x" * 1_000_000 + "\n", EITHER), ("empty", "", EITHER),
        ("only the program", "qemu-system-x86_64\n", EITHER), ("an unknown option", text + "-nope\n", REJECT),
        ("-object alone", text + "-object\n", REJECT), ("an empty -object", text + "-object ''\n", REJECT),
        ("a bare word", text + "word\n", REJECT), ("a NUL-like escape", text + "-name $'\\x00'\n", EITHER),
        ("2000 iothreads", text + "".join(f"-object iothread,id=io{i}\n" for i in range(2000)), EITHER),
        ("a 200-character id", text.replace("id=m0", "id=" + "m" * 200), EITHER),
        ("an id with a space", text.replace("id=m0", "id='m 0'"), REJECT),
        ("an id with unicode", text.replace("id=m0", "id=mé"), REJECT),
        ("port 99999", text.replace("port=9003", "port=99999"), EITHER), ("port -1", text.replace("port=9003", "port=-1"), EITHER),
        ("port abc", text.replace("port=9003", "port=abc"), EITHER), ("port 0", text.replace("port=9003", "port=0"), EITHER),
    ]
    return out


LINT_FILES = []


def lint_case(name, primary, secondary, expect, ws=None):
    """Inline command lines, or files when one is longer than an argument may be (128 KiB)."""
    if max(len(primary), len(secondary)) > 100_000:
        directory = LINT_FILES[0]
        index = len(os.listdir(directory))
        paths = [os.path.join(directory, f"{index}-{side}.args") for side in ("primary", "secondary")]
        for path, text in zip(paths, (primary, secondary)):
            with open(path, "w") as out:
                out.write(text)
        argv = ["lint"] + paths
    else:
        argv = ["lint", f"--primary={primary}", f"--secondary={secondary}"]
    return Case("qemu-args", f"lint: {name}", argv, expect,
                ["primary", "secondary", "-object", "-chardev", "-netdev", "-device", "argument"], answer_exits=(1,))


def serve_arguments(ws):
    directory = ws.fresh("serve")
    os.makedirs(directory)
    return directory, f"""-M none
-nodefaults
-display none
-object iothread,id=io0
-chardev socket,id=pin,path={directory}/pin.sock,server=on,wait=off
-chardev socket,id=sin,path={directory}/sin.sock,server=on,wait=off
-chardev socket,id=out,path={directory}/out.sock,server=on,wait=off
-object colo-compare,id=comp0,primary_in=pin,secondary_in=sin,outdev=out,iothread=io0
"""


def argv_of(text):
    tokens = []
    for line in lines(text):
        option, _, value = line.partition(" ")
        tokens.append(option)
        if value:
            tokens.append(value)
    return tokens


def cases(ws):
    out = []
    LINT_FILES[:] = [ws.fresh("lint-files")]
    os.makedirs(LINT_FILES[0])
    for name, text, expect in mutations(PRIMARY_ARGS, 1):
        out.append(lint_case(f"primary {name}", text, SECONDARY_ARGS, expect))
    for name, text, expect in mutations(SECONDARY_ARGS, 2)[::2]:
        out.append(lint_case(f"secondary {name}", PRIMARY_ARGS, text, expect))
    for name, text, expect in mutations(PRIMARY_ARGS, 3)[::3]:
        scenario = document({"name": "q", "duration": "1s", "topology": {"qemu": {
            "primary": "|\n" + "".join("      " + line + "\n" for line in text.splitlines()),
            "secondary": "|\n" + "".join("      " + line + "\n" for line in SECONDARY_ARGS.splitlines())}},
            "expect": {"checkpoints": 0}}).replace(": |\n\n", ": |\n")
        path = ws.write(f"qemu/scenario-{len(out)}.yaml", scenario)
        out.append(Case("qemu-args", f"scenario topology: {name}", ["qemu-args", path], expect,
                        [path.rsplit("/", 1)[1], "primary", "qemu"]))
    for key, value, expect in COMPARE_NUMBERS:
        text = PRIMARY_ARGS.replace("iothread=iothread\n", f"iothread=iothread,{key}={value}\n")
        out.append(lint_case(f"colo-compare {key}={value!r}", text, SECONDARY_ARGS, expect))
        directory, serve = serve_arguments(ws)
        serve = serve.replace("iothread=io0\n", f"iothread=io0,{key}={value}\n")
        out.append(Case("qemu-args", f"serve: colo-compare {key}={value!r}", ["serve", "--"] + argv_of(serve), expect,
                        [key, "colo-compare", "comp0"], timeout=3, serving=True))
    for index, (name, text, expect) in enumerate(mutations(serve_arguments(ws)[1], 4)):
        if index % 2:
            continue
        directory, serve = serve_arguments(ws)
        mutated = text.replace(text.split("path=")[1].split("/pin.sock")[0], directory) if "path=" in text else text
        if name in SHELL_ONLY:
            expect = EITHER
        if any(len(word) > 100_000 for word in argv_of(mutated)):
            continue  # longer than one argument may be (128 KiB): the lint cases read it from files
        out.append(Case("qemu-args", f"serve: {name}", ["serve", "--"] + argv_of(mutated), expect,
                        ["lockstep serve", "-chardev", "-object", "-M", "serve"], timeout=3, serving=True))
    # Command lines passed as one option value that starts with `-`.
    primary_text = PRIMARY_ARGS
    for command in (["lint"], ["figure"]):
        out.append(Case("qemu-args", f"{command[0]} --primary \"$(cat file)\" (separate token)",
                        command + ["--primary", primary_text, "--secondary", SECONDARY_ARGS], ACCEPT,
                        ["--primary"], answer_exits=(1,)))
        out.append(Case("qemu-args", f"{command[0]} --secondary \"$(cat file)\" (separate token)",
                        command + ["--primary", ws.primary_args, "--secondary", SECONDARY_ARGS], ACCEPT,
                        ["--secondary"], answer_exits=(1,)))
    return out
