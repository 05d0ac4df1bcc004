"""Classic pcap files and Ethernet/IPv4/TCP frames, built byte by byte (no libraries)."""

import struct

MICRO = 0xA1B2C3D4
NANO = 0xA1B23C4D


def header(magic=MICRO, snaplen=65535, linktype=1, major=2, minor=4, endian="<"):
    return struct.pack(endian + "IHHiIII", magic, major, minor, 0, 0, snaplen, linktype)


def record(data, seconds=0, fraction=0, caplen=None, length=None, endian="<"):
    caplen = len(data) if caplen is None else caplen
    length = len(data) if length is None else length
    return struct.pack(endian + "IIII", seconds & 0xFFFFFFFF, fraction & 0xFFFFFFFF,
                       caplen & 0xFFFFFFFF, length & 0xFFFFFFFF) + data


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def ip(text):
    return bytes(int(part) for part in text.split("."))


CLIENT_MAC = bytes.fromhex("525400123456")
GUEST_MAC = bytes.fromhex("52a400127866")
CLIENT = "192.168.100.1"
GUEST = "192.168.100.100"


def tcp_frame(payload=b"", seq=1, ack=1, flags=0x18, src=GUEST, dst=CLIENT, sport=8080, dport=49152,
              src_mac=GUEST_MAC, dst_mac=CLIENT_MAC, ident=1):
    tcp = struct.pack("!HHIIBBHHH", sport, dport, seq & 0xFFFFFFFF, ack & 0xFFFFFFFF, 5 << 4, flags,
                      65535, 0, 0) + payload
    pseudo = ip(src) + ip(dst) + struct.pack("!BBH", 0, 6, len(tcp))
    tcp = tcp[:16] + struct.pack("!H", checksum(pseudo + tcp)) + tcp[18:]
    ip_header = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(tcp), ident & 0xFFFF, 0x4000, 64, 6, 0,
                            ip(src), ip(dst))
    ip_header = ip_header[:10] + struct.pack("!H", checksum(ip_header)) + ip_header[12:]
    return dst_mac + src_mac + b"\x08\x00" + ip_header + tcp


def udp_frame(payload=b"x", src=GUEST, dst=CLIENT, sport=53, dport=40000):
    udp = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload
    ip_header = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 1, 0, 64, 17, 0, ip(src), ip(dst))
    ip_header = ip_header[:10] + struct.pack("!H", checksum(ip_header)) + ip_header[12:]
    return CLIENT_MAC + GUEST_MAC + b"\x08\x00" + ip_header + udp


def capture(frames, magic=MICRO, snaplen=65535, start=1_700_000_000, step_us=1000):
    """A capture of `frames`, one every `step_us` microseconds from `start` seconds."""
    out = bytearray(header(magic=magic, snaplen=snaplen))
    unit = 1000 if magic == NANO else 1
    for index, frame in enumerate(frames):
        us = index * step_us
        out += record(frame, start + us // 1_000_000, (us % 1_000_000) * unit)
    return bytes(out)


def exchange(count=4, payload_size=100):
    """A guest's side of a few TCP data segments, one per exchange."""
    return [tcp_frame(bytes([65 + i % 26]) * payload_size, seq=1 + i * payload_size) for i in range(count)]
