"""Hostile values shared by the surfaces, with what each one is as a number."""

import math

INT64_MAX = 2**63 - 1

# (text, numeric value or None when the text is not a plain number)
NUMBERS = [
    ("-1", -1), ("0", 0), ("1", 1), ("-0", 0), ("2", 2), ("7", 7), ("100", 100), ("65535", 65535), ("65536", 65536),
    ("1000000", 1_000_000), ("2147483647", 2**31 - 1), ("2147483648", 2**31), ("4294967295", 2**32 - 1),
    ("4294967296", 2**32), ("9223372036854775807", INT64_MAX), ("9223372036854775808", 2**63),
    ("-9223372036854775808", -2**63), ("18446744073709551616", 2**64), ("1" + "0" * 40, 10**40),
    ("-2147483649", -2**31 - 1), ("1e3", None), ("1e308", None), ("inf", None), ("-inf", None), ("nan", None),
    ("1.5", None), ("0x10", None), ("abc", None), ("", None), (" 5", None), ("5 ", None), ("+5", None),
    ("1_000", None), ("--", None), ("١٢", None), ("5\n", None),
]

# Seconds as Double options read them (ArgumentParser's Double: anything strtod takes).
DOUBLES = [
    ("-1", -1.0), ("0", 0.0), ("0.001", 0.001), ("1", 1.0), ("2.5", 2.5), ("86400", 86400.0), ("1e9", 1e9),
    ("1e308", 1e308), ("inf", math.inf), ("-inf", -math.inf), ("nan", math.nan), ("-0", -0.0), ("1e-320", 1e-320),
    ("9223372036854775807", 9.223372036854776e18), ("abc", None), ("", None), ("0x1p3", 8.0), ("1,5", None),
]

# Durations as `lockstep` options read them (a bare number is seconds).
DURATIONS = [
    ("-1", -1e9), ("-1s", -1e9), ("0", 0), ("1ns", 1), ("10ns", 10), ("999us", 999e3), ("1ms", 1e6), ("5ms", 5e6),
    ("250ms", 250e6), ("1s", 1e9), ("30", 30e9), ("3600s", 3600e9), ("86400s", 86400e9), ("1e6s", 1e15),
    ("1e9", 1e18), ("9223372036ms", 9.223372036e18), ("1e10s", 1e19), ("1e308s", None), ("infs", None),
    ("inf", None), ("nan", None), ("nanms", None), ("ms", None), ("", None), ("1h", None), ("1 s", None),
    ("1.5.5s", None), ("0x10ms", None), ("-0ms", 0), ("1e-9s", 1), ("1e-12s", 0.001),
]


def as_int(value):
    return value if isinstance(value, int) else None
