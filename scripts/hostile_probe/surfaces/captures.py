"""Capture files through `compare`, `rewrite` and a scenario's `client: pcap:`: broken headers and
records, frames cut short, timestamps past 2^31 s, long gaps, oversized frames, random bytes."""

import random
import struct

from .. import pcap
from ..case import ACCEPT, EITHER, REJECT, Case

YEAR_US = 365 * 86_400 * 1_000_000
DAY_US = 86_400 * 1_000_000


def header_variants():
    """(name, bytes, expect) for a capture whose global header is damaged."""
    frames = pcap.exchange(2)
    good = pcap.capture(frames)
    out = [("empty file", b"", REJECT), ("only zeros", bytes(4096), REJECT), ("only 0xff", b"\xff" * 4096, REJECT)]
    for cut in (1, 4, 8, 20, 23, 24, 30, 40, 60):
        out.append((f"cut after {cut} bytes", good[:cut], ACCEPT if cut in (24, len(good)) else REJECT))
    for magic, name, expect in ((0xA1B2C3D4, "big-endian microsecond", ACCEPT), (0x0A0D0D0A, "pcapng magic", REJECT),
                                (0xA1B2CD34, "Kuznetsov magic", EITHER), (0x12345678, "unknown magic", REJECT)):
        body = struct.pack(">IHHiIII", magic, 2, 4, 0, 0, 65535, 1)
        for frame in frames:
            body += struct.pack(">IIII", 1_700_000_000, 0, len(frame), len(frame)) + frame
        out.append((name, body, expect))
    for major, minor in ((1, 0), (3, 0), (0xFFFF, 0xFFFF), (2, 0xFFFF)):
        out.append((f"version {major}.{minor}", pcap.header(major=major, minor=minor) + good[24:], EITHER))
    for snaplen in (0, 1, 14, 2**31, 2**32 - 1):
        out.append((f"snaplen {snaplen}", pcap.header(snaplen=snaplen) + good[24:], EITHER))
    for linktype in (0, 101, 113, 228, 0xFFFF, 0x7FFFFFFF, 2**32 - 1):
        out.append((f"link type {linktype}", pcap.header(linktype=linktype & 0xFFFFFFFF) + good[24:], REJECT))
    return out


def record_variants():
    """(name, bytes, expect): damage to the records of a four-frame capture."""
    frames = pcap.exchange(4)
    out = []

    def build(mutate, magic=pcap.MICRO, snaplen=65535):
        body = bytearray(pcap.header(magic=magic, snaplen=snaplen))
        for index, frame in enumerate(frames):
            fields = {"seconds": 1_700_000_000, "fraction": index * 1000, "caplen": len(frame), "length": len(frame),
                      "data": frame}
            mutate(index, fields)
            body += pcap.record(fields["data"], fields["seconds"], fields["fraction"], fields["caplen"], fields["length"])
        return bytes(body)

    def at(target, **changes):
        def mutate(index, fields):
            if index == target:
                fields.update(changes)
                if "cut" in fields:
                    fields["data"] = fields["data"][:fields.pop("cut")]
        return mutate

    for target in (0, 2, 3):
        out += [
            (f"record {target}: caplen 0 (length kept)", build(at(target, caplen=0, cut=0)), REJECT),
            (f"record {target}: cut to 14 bytes", build(at(target, caplen=14, cut=14)), REJECT),
            (f"record {target}: cut to 40 bytes", build(at(target, caplen=40, cut=40)), REJECT),
            (f"record {target}: cut by one byte", build(at(target, caplen=len(frames[target]) - 1, cut=len(frames[target]) - 1)), REJECT),
            (f"record {target}: length below caplen", build(at(target, length=10)), EITHER),
            (f"record {target}: length 0", build(at(target, length=0)), EITHER),
            (f"record {target}: length 2^32-1", build(at(target, length=2**32 - 1)), REJECT),
            (f"record {target}: caplen beyond the data", build(at(target, caplen=len(frames[target]) + 500)), REJECT),
            (f"record {target}: caplen 2^31", build(at(target, caplen=2**31)), REJECT),
            (f"record {target}: caplen over snaplen", build(at(target, caplen=70000, length=70000, data=bytes(70000))), EITHER),
            (f"record {target}: fraction 10^6 (µs)", build(at(target, fraction=1_000_000)), REJECT),
            (f"record {target}: fraction 2^32-1", build(at(target, fraction=2**32 - 1)), REJECT),
            (f"record {target}: seconds 0", build(at(target, seconds=0)), EITHER),
            (f"record {target}: seconds 2^31", build(at(target, seconds=2**31)), EITHER),
            (f"record {target}: seconds 2^32-1", build(at(target, seconds=2**32 - 1)), EITHER),
            (f"record {target}: timestamp bytes flipped", build(at(target, seconds=int.from_bytes(
                (1_700_000_000).to_bytes(4, "little"), "big"))), EITHER),
            (f"record {target}: random data", build(at(target, data=random.Random(target).randbytes(60))), ACCEPT),
            (f"record {target}: 1-byte frame", build(at(target, data=b"\x01")), ACCEPT),
        ]
    good = build(lambda index, fields: None)
    for cut in (25, 30, 39, 40, 41, 60, len(good) - 1):
        out.append((f"file cut at byte {cut}", good[:cut], REJECT if cut > 24 else ACCEPT))
    out.append(("trailing garbage", good + b"\x13\x37" * 5, REJECT))
    out.append(("nanosecond capture", pcap.capture(frames, magic=pcap.NANO), ACCEPT))
    out.append(("nanosecond fraction 10^9", build(at(1, fraction=10**9), magic=pcap.NANO), REJECT))
    out.append(("all at 2^31 s and after", build(lambda i, f: f.update(seconds=2**31 + i)), ACCEPT))
    out.append(("out of time order", build(lambda i, f: f.update(seconds=1_700_000_010 - i)), ACCEPT))
    return out


def random_captures(count):
    rng = random.Random(19)
    out = []
    for index in range(count):
        size = rng.choice([1, 24, 25, 40, 100, 1000, 5000])
        body = bytearray(rng.randbytes(size))
        if index % 2:
            body[:24] = pcap.header()  # a good header, random records
        out.append((f"random bytes #{index} ({size})", bytes(body), EITHER))
    return out


def check_timestamps(ws, source, out_path):
    """rewrite copies input timestamps: a timestamp folded to 1970 shows in the output."""
    def check(result):
        if result.exit_code != 0:
            return None
        try:
            produced = read_stamps(out_path)
        except Exception as error:  # noqa: BLE001 - the probe reports any unreadable output
            return "silent", f"output capture unreadable: {error}"
        expected = read_stamps(source)
        if produced != expected:
            return "silent", f"timestamps changed: {expected[:3]} became {produced[:3]}"
        return None
    return check


def read_stamps(path):
    with open(path, "rb") as capture:
        data = capture.read()
    magic = struct.unpack("<I", data[:4])[0]
    endian = "<" if magic in (pcap.MICRO, pcap.NANO) else ">"
    offset, stamps = 24, []
    while offset + 16 <= len(data):
        seconds, fraction, caplen, _ = struct.unpack(endian + "IIII", data[offset:offset + 16])
        stamps.append((seconds, fraction if magic in (pcap.NANO, 0x4D3CB2A1) else fraction * 1000))
        offset += 16 + caplen
    return stamps


def check_lengths(ws, out_path):
    """rewrite --out must keep every frame whole (or say it cut them)."""
    def check(result):
        if result.exit_code != 0:
            return None
        with open(out_path, "rb") as capture:
            data = capture.read()
        offset = 24
        while offset + 16 <= len(data):
            _, _, caplen, length = struct.unpack("<IIII", data[offset:offset + 16])
            if caplen < length and "cut" not in result.text and "warning" not in result.error_text.lower():
                return "silent", f"output record cut from {length} to {caplen} bytes without a word"
            offset += 16 + caplen
        return None
    return check


def gap_capture(gap_us, queued=True):
    """A primary frame that waits for its secondary, then the next frame `gap_us` later."""
    first = pcap.tcp_frame(b"A" * 50, seq=1)
    second = pcap.tcp_frame(b"B" * 50, seq=51)
    body = bytearray(pcap.header())
    body += pcap.record(first, 1_000_000, 0)
    body += pcap.record(second, 1_000_000 + gap_us // 1_000_000, gap_us % 1_000_000)
    secondary = bytearray(pcap.header())
    if not queued:
        secondary += pcap.record(first, 1_000_000, 10)
    secondary += pcap.record(pcap.tcp_frame(b"Z" * 50, seq=51), 1_000_000 + gap_us // 1_000_000, gap_us % 1_000_000 + 5)
    return bytes(body), bytes(secondary)


def cases(ws):
    out = []
    variants = header_variants() + record_variants() + random_captures(60)
    for number, (name, data, expect) in enumerate(variants):
        path = ws.write(f"captures/variant-{number}.pcap", data)
        names = [path, f"variant-{number}.pcap"]
        out.append(Case("captures", f"compare primary: {name}", ["compare", path, ws.secondary_pcap], expect, names))
        out.append(Case("captures", f"compare secondary (json): {name}",
                        ["compare", ws.primary_pcap, path, "--format", "json"], expect, names))
        rewritten = ws.path(f"captures/rewritten-{number}.pcap")
        out.append(Case("captures", f"rewrite: {name}", ["rewrite", path, "--guest-ip", "192.168.100.100", "--out", rewritten],
                        expect, names, check=check_timestamps(ws, path, rewritten) if expect != REJECT else None))
        if number % 3 == 0:
            scenario = ws.write(f"captures/replay-{number}.yaml", (
                "duration: 1s\nclient:\n  workload: {connections: 1, requests: 1}\n"
                f"  pcap: {{file: {path}, client_mac: '52:a4:00:12:78:66'}}\nexpect: {{checkpoints: {{min: 0}}}}\n"))
            out.append(Case("captures", f"scenario client pcap: {name}", ["run", scenario], expect,
                            names + [scenario.rsplit("/", 1)[1]]))

    # Frames larger than rewrite's output snaplen.
    for size in (65_536, 65_537, 100_000, 262_144):
        frame = pcap.CLIENT_MAC + pcap.GUEST_MAC + b"\x88\xb5" + bytes(size - 14)
        path = ws.write(f"captures/big-{size}.pcap", pcap.capture([frame], snaplen=262_144))
        target = ws.path(f"captures/big-{size}-out.pcap")
        out.append(Case("captures", f"rewrite --out of a {size}-byte frame",
                        ["rewrite", path, "--guest-ip", "192.168.100.100", "--out", target], ACCEPT, [path],
                        check=check_lengths(ws, target)))
        out.append(Case("captures", f"compare --out of a {size}-byte frame",
                        ["compare", path, path, "--out", ws.path(f"captures/big-{size}-cmp.pcap")], ACCEPT, [path]))

    # Long gaps: idle time must cost nothing.
    for label, gap, extra in (("a year", YEAR_US, []), ("a day, scan cycle 1 ms", DAY_US, ["--expired-scan-cycle", "1"]),
                              ("ten years", 10 * YEAR_US, []), ("a day, timeout 1 ms, cycle 1 ms", DAY_US,
                                                                ["--expired-scan-cycle", "1", "--compare-timeout", "1"]),
                              ("an hour", 3600 * 1_000_000, ["--expired-scan-cycle", "1"])):
        for queued in (True, False):
            primary, secondary = gap_capture(gap, queued)
            p = ws.write(f"captures/gap-{len(out)}-p.pcap", primary)
            s = ws.write(f"captures/gap-{len(out)}-s.pcap", secondary)
            for fmt in ("text", "json"):
                out.append(Case("captures", f"compare over a gap of {label} ({'queued' if queued else 'idle'}, {fmt})",
                                ["compare", p, s, "--format", fmt] + extra, ACCEPT, [p], timeout=30))
    # Checkpoints far away make a gap too.
    for at in ("31536000000000", "9223372036854775", "-1", "-9223372036854775808"):
        expect = REJECT if at.startswith("-") else ACCEPT
        out.append(Case("captures", f"compare --checkpoint-at={at}",
                        ["compare", ws.primary_pcap, ws.secondary_pcap, f"--checkpoint-at={at}", "--expired-scan-cycle", "1"],
                        expect, ["--checkpoint-at", "checkpoint"], timeout=30))

    # Files that are not captures.
    for label, path, expect in (("a directory", ws.directory, REJECT), ("a missing file", ws.missing, REJECT),
                                ("the scenario file", ws.scenario, REJECT)):
        out.append(Case("captures", f"compare of {label}", ["compare", path, ws.secondary_pcap], expect, [path]))
        out.append(Case("captures", f"rewrite of {label}",
                        ["rewrite", path, "--guest-ip", "192.168.100.100", "--out", ws.fresh("out.pcap")], expect, [path]))

    out.append(Case("captures", "compare of a zero device", ["compare", "ZERO", ws.secondary_pcap], REJECT, ["zero"],
                    setup=lambda case: case.argv.__setitem__(1, ws.device("zero"))))
    for guest_ip in ("", "1.2.3", "256.1.1.1", "::1", "a.b.c.d", "1.2.3.4.5", "-1.2.3.4", " 1.2.3.4", "1.2.3.4 "):
        out.append(Case("captures", f"rewrite --guest-ip {guest_ip!r}",
                        ["rewrite", ws.guest_pcap, f"--guest-ip={guest_ip}", "--out", ws.fresh("out.pcap")], REJECT,
                        ["--guest-ip", "guest-ip"]))
    for profile in ("", "UPSTREAM", "qemu-7.2 ", "fixed\n"):
        out.append(Case("captures", f"compare --profile {profile!r}",
                        ["compare", ws.primary_pcap, ws.secondary_pcap, f"--profile={profile}"], REJECT, ["profile"]))
    return out
