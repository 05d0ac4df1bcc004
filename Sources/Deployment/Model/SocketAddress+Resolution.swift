import Glibc

/// How QEMU turns a socket chardev's `host` and `port` text into an address, as far as it can
/// be told without the deployment's machine: ports as glibc's getaddrinfo reads them, hosts
/// normalised to the address Linux actually uses. Host names other than `localhost` are compared
/// as text (the lint does no DNS).
extension SocketAddress {
    /// The port number QEMU binds or dials: decimal digits wrap modulo 65536 (getaddrinfo keeps
    /// the low 16 bits: 99999 is 34463), an empty port is 0, a service name is looked up in the
    /// services database. Nil when getaddrinfo refuses it ("Servname not supported").
    public static func portNumber(_ text: String) -> Int? {
        if text.isEmpty { return 0 }
        if text.allSatisfy(\.isASCIIDigit) {
            var value = 0
            for digit in text.utf8 { value = (value * 10 + Int(digit - 48)) % 65_536 }
            return value
        }
        return serviceNumber(text)
    }

    /// `getservbyname_r(name, "tcp")`, thread-safe.
    private static func serviceNumber(_ name: String) -> Int? {
        guard name.utf8.count < 256, !name.contains("\0") else { return nil }
        var entry = servent()
        var result: UnsafeMutablePointer<servent>?
        var buffer = [CChar](repeating: 0, count: 4096)
        let status = getservbyname_r(name, "tcp", &entry, &buffer, buffer.count, &result)
        guard status == 0, let found = result else { return nil }
        return Int(UInt16(bigEndian: UInt16(truncatingIfNeeded: found.pointee.s_port)))
    }

    /// Where a listening server accepts connections.
    public enum Listener: Sendable, Hashable {
        /// `host=` empty or `::`: every local IPv4 and IPv6 address.
        case anyAddress
        /// `0.0.0.0`: every local IPv4 address.
        case anyIPv4
        /// One address (a literal, `localhost` read as 127.0.0.1, or a name kept as text).
        case address(String)
    }

    /// Where this address listens when a server binds it.
    public var listener: Listener? {
        guard case .inet(let host, _) = self else { return nil }
        if host.isEmpty { return .anyAddress }
        switch Self.canonicalHost(host) {
        case "::": return .anyAddress
        case "0.0.0.0": return .anyIPv4
        case let canonical: return .address(canonical)
        }
    }

    /// The address a client dials: `localhost` is 127.0.0.1 (the first address getaddrinfo gives
    /// on a machine whose only IPv6 address is loopback), and Linux sends a connect to the
    /// unspecified address 0.0.0.0 or :: to the loopback.
    public var destination: String? {
        guard case .inet(let host, _) = self else { return nil }
        guard !host.isEmpty else { return "" }
        switch Self.canonicalHost(host) {
        case "0.0.0.0": return "127.0.0.1"
        case "::": return "::1"
        case let canonical: return canonical
        }
    }

    /// A host as getaddrinfo reads it without DNS: IPv4 literals in any form inet_aton takes
    /// (`0`, `127.1`, `0x7f.0.0.1` are addresses too) and IPv6 literals in their canonical
    /// spelling, the loopback names of /etc/hosts as their address; other names as written.
    static func canonicalHost(_ host: String) -> String {
        switch host {
        case "localhost": return "127.0.0.1"
        case "localhost6", "ip6-localhost", "ip6-loopback": return "::1"
        default: break
        }
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        var v4 = in_addr()
        if !bare.contains(":"), inet_aton(bare, &v4) != 0 {
            return withUnsafeBytes(of: &v4) { format(family: AF_INET, $0, length: Int(INET_ADDRSTRLEN)) } ?? bare
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, bare, &v6) == 1 {
            return withUnsafeBytes(of: &v6) { format(family: AF_INET6, $0, length: Int(INET6_ADDRSTRLEN)) } ?? bare
        }
        return host
    }

    private static func format(family: Int32, _ address: UnsafeRawBufferPointer, length: Int) -> String? {
        var buffer = [CChar](repeating: 0, count: length)
        guard inet_ntop(family, address.baseAddress, &buffer, socklen_t(length)) != nil else { return nil }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// True when the host is an IP literal or a loopback name, which resolve without DNS.
    static func resolvesWithoutDNS(_ host: String) -> Bool {
        canonicalHost(host) != host || isIPv4Literal(host) || isIPv6Literal(host)
    }

    /// True for an IPv4 literal (dotted quad).
    static func isIPv4Literal(_ host: String) -> Bool {
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { part in
            !part.isEmpty && part.count <= 3 && part.allSatisfy(\.isASCIIDigit) && (Int(part) ?? 256) < 256
        }
    }

    /// True for an IPv6 literal (contains a colon; brackets allowed).
    static func isIPv6Literal(_ host: String) -> Bool {
        host.contains(":")
    }
}

extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
