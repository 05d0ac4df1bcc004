"""Sorts a finished run into crash, hang, resource, unclear, silent or ok."""

import re

from .case import ACCEPT, REJECT

CLASSES = ["crash", "hang", "resource", "unclear", "silent", "ok"]

CRASH_TEXT = re.compile(
    r"Fatal error|Program crashed|Stack dump|Backtrace|Segmentation fault|Illegal instruction"
    r"|Current stack trace|Assertion failed|Precondition failed|EXC_BAD|Aborted \(core")
# Foundation, Decodable and ArgumentParser internals a user cannot act on.
INTERNALS = re.compile(
    r"NSCocoaErrorDomain|NSPOSIXErrorDomain|Error Domain=|DecodingError|keyNotFound|typeMismatch"
    r"|valueNotFound|dataCorrupted|Debug description|CodingKeys|could not be completed"
    r"|couldn.t be (read|opened|completed)|NSUnderlyingError|NSFilePath|_GenericObjCError"
    r"|Swift\.\w+Error|Error\(|YamlError|ScannerError|Optional\(|Mark\(line")
WARNING = re.compile(r"\bwarning\b", re.I)


def classify(case, result):
    """(class, detail) for one case's result."""
    text = result.text
    if result.exit_code < 0 and not result.timed_out and not result.killed_for:
        return "crash", f"killed by signal {-result.exit_code}"
    if result.exit_code in (132, 134, 139):
        return "crash", f"exit status {result.exit_code} (a signal in a shell's numbering)"
    if CRASH_TEXT.search(text):
        return "crash", CRASH_TEXT.search(text).group(0)
    if result.timed_out and case.serving:
        result.exit_code = 0
    elif result.timed_out:
        if result.progress_seen:
            return "ok", "long work with visible progress (stopped by the probe)"
        return "hang", f"no answer within {case.timeout:.0f}s and no progress shown"
    if result.killed_for == "rss":
        return "resource", f"RSS over the bound ({result.peak_rss_mb:.0f} MB)"
    if result.killed_for == "output":
        return "resource", "output over the bound"
    stderr = result.error_text
    if INTERNALS.search(text):
        return "unclear", "internals reach the user: " + INTERNALS.search(text).group(0)
    if case.check:
        verdict = case.check(result)
        if verdict:
            return verdict
    given_empty = any(arg == "" or arg.endswith("=") for arg in case.argv)
    if "Missing value for" in stderr and not given_empty:
        return "unclear", "ArgumentParser says a value is missing that was given"
    if result.exit_code in case.forbidden_exits:
        return "unclear", f"exit status {result.exit_code} means something else for this command"
    failed = result.exit_code != 0 and result.exit_code not in case.answer_exits
    if result.exit_code in case.answer_exits and not result.stdout.strip():
        return "unclear", f"exit status {result.exit_code} with no findings on stdout"
    if failed and not stderr.strip():
        return "unclear", f"exit status {result.exit_code} with nothing on stderr"
    if failed and case.names and not any(name.lower() in stderr.lower() for name in case.names):
        return "unclear", "the error names none of: " + ", ".join(case.names)
    if case.expect == REJECT and not failed:
        if not WARNING.search(text) and result.exit_code not in case.answer_exits:
            return "silent", "bad input accepted: exit 0 and no warning"
    return "ok", ""


def first_line(data, limit=300):
    text = data.decode("utf-8", "replace").strip().splitlines()
    return (text[0] if text else "")[:limit]
