"""One probe input: the command to run and what a correct answer looks like."""

from dataclasses import dataclass, field
from typing import Callable, Optional

# What the binary must do with the input.
REJECT = "reject"   # bad input: a clear one-line error (exit != 0), or exit 0 with a warning
ACCEPT = "accept"   # a sane input: any documented outcome, but no crash, hang or internals
EITHER = "either"   # borderline: refusing and accepting are both fine, if done clearly


@dataclass
class Case:
    surface: str
    name: str
    argv: list
    expect: str = REJECT
    # An error must name at least one of these (the input, its option or its field).
    names: list = field(default_factory=list)
    stdin: Optional[bytes] = None
    # Where stdout goes (None: a capture file); e.g. "/dev/full".
    stdout_path: Optional[str] = None
    timeout: float = 20.0
    # Extra check on the finished run: returns (class, detail) or None.
    check: Optional[Callable] = None
    # Runs before the process starts (creating files, device nodes, ...).
    setup: Optional[Callable] = None
    # Exit statuses that are errors for this command despite the message (e.g. replay's 1).
    forbidden_exits: tuple = ()
    # stderr on a pseudo-terminal, so that progress lines are drawn.
    tty: bool = False
    # A driver that runs the whole case itself (the daemon surface); returns a Result.
    driver: Optional[Callable] = None
    # Working directory of the process.
    cwd: Optional[str] = None
    # A daemon: still running at the timeout means it accepted its input and is serving.
    serving: bool = False
    # Exit statuses whose answer is on stdout (lint's findings), not an error message.
    answer_exits: tuple = ()
