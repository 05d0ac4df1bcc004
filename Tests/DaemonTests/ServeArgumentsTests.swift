import Testing
import Primary
import Daemon

/// `lockstep serve` reads QEMU's own command line for a standalone compare.
@Suite("serve: QEMU arguments")
struct ServeArgumentsTests {
    static let standard = [
        "-M", "none", "-nodefaults", "-display", "none", "-monitor", "none", "-serial", "none",
        "-object", "iothread,id=iothread0",
        "-chardev", "socket,id=compare0,host=127.0.0.1,port=9001,server=on,wait=off",
        "-chardev", "socket,id=compare1,path=/run/colo/sec.sock,server,nowait",
        "-chardev", "socket,id=compare_out,host=127.0.0.1,port=9005,reconnect=1",
        "-chardev", "socket,id=notify,path=/run/colo/notify.sock,server=on,wait=off,nodelay=on",
        "-object", "colo-compare,id=comp0,primary_in=compare0,secondary_in=compare1,outdev=compare_out,iothread=iothread0,"
            + "notify_dev=notify,compare_timeout=2000,expired_scan_cycle=500,max_queue_size=4096,vnet_hdr_support=on",
    ]

    @Test("A standalone compare's command line: every chardev form and every colo-compare property")
    func standardCommandLine() throws {
        let configuration = try ServeArguments.parse(Self.standard)
        #expect(configuration.chardevs.map(\.id) == ["compare0", "compare1", "compare_out", "notify"])
        #expect(configuration.chardevs[0] == ServeChardevSpec(id: "compare0", address: .inet(host: "127.0.0.1", port: "9001"), server: true, wait: false))
        #expect(configuration.chardevs[1] == ServeChardevSpec(id: "compare1", address: .unix(path: "/run/colo/sec.sock"), server: true, wait: false))
        #expect(configuration.chardevs[2] == ServeChardevSpec(id: "compare_out", address: .inet(host: "127.0.0.1", port: "9005"), server: false, reconnectMs: 1000))
        #expect(configuration.chardevs[3].noDelay)
        let compare = try #require(configuration.compares.first)
        #expect(compare.id == "comp0")
        #expect(compare.properties.primaryIn == "compare0")
        #expect(compare.properties.notifyDev == "notify")
        #expect(compare.properties.vnetHeaderSupport)
        #expect(compare.properties.compareTimeout == 2000)
        #expect(compare.properties.expiredScanCycle == 500)
        #expect(compare.properties.maxQueueSize == 4096)
        #expect(configuration.iothreads == ["iothread0"])
        #expect(configuration.ignoredOptions.count == 5)
    }

    @Test("The program word may stay: qemu-system-x86_64 ARGS and ARGS read alike")
    func programWord() throws {
        #expect(try ServeArguments.parse(["qemu-system-x86_64"] + Self.standard) == ServeArguments.parse(Self.standard))
    }

    @Test("A server waits unless wait=off; a client without reconnect has none")
    func waitDefaults() throws {
        let configuration = try ServeArguments.parse([
            "-object", "iothread,id=t", "-chardev", "socket,id=a,path=/tmp/a,server=on", "-chardev", "socket,id=b,path=/tmp/b",
            "-chardev", "socket,id=c,path=/tmp/c,server=on,wait=off",
            "-object", "colo-compare,id=x,primary_in=a,secondary_in=b,outdev=c,iothread=t",
        ])
        #expect(configuration.chardevs.map(\.wait) == [true, false, false])
        #expect(configuration.chardevs[1].reconnectMs == nil)
    }

    @Test("-qmp and -mon: a monitor chardev in command-line position")
    func monitors() throws {
        let configuration = try ServeArguments.parse(
            ["-qmp", "unix:/tmp/q.sock,server=on,wait=off", "-chardev", "socket,id=m,host=127.0.0.1,port=4444,server=on,wait=off",
             "-mon", "chardev=m,mode=control", "-qmp", "tcp:localhost:4445,server,nowait"] + Self.standard)
        #expect(configuration.chardevs.prefix(3).map(\.id) == ["compat_monitor0", "m", "compat_monitor1"])
        #expect(configuration.chardevs[0].address == .unix(path: "/tmp/q.sock"))
        #expect(configuration.chardevs[2].address == .inet(host: "localhost", port: "4445"))
        #expect(configuration.monitors == ["compat_monitor0", "m", "compat_monitor1"])
    }

    @Test("C-1: QEMU's refusals are refused with its reasons", arguments: [
        ["-object", "colo-compare,id=c,primary_in=a,secondary_in=b,outdev=o"],
        ["-object", "colo-compare,id=c,primary_in=a,secondary_in=a,outdev=o,iothread=t"],
        ["-object", "colo-compare,id=c,primary_in=a,secondary_in=b,outdev=o,iothread=t,compare_timeout=0"],
        ["-object", "colo-compare,id=c,primary_in=a,secondary_in=b,outdev=o,iothread=t,frobnicate=1"],
        ["-object", "colo-compare,id=c,primary_in=a,secondary_in=b,outdev=nothere,iothread=t"],
        ["-frobnicate", "-object", "colo-compare,id=c,primary_in=a,secondary_in=b,outdev=o,iothread=t"],
    ])
    func refusals(_ compare: [String]) throws {
        let base = ["-object", "iothread,id=t"] + ["a", "b", "o"].flatMap { ["-chardev", "socket,id=\($0),path=/tmp/\($0),server=on,wait=off"] }
        #expect {
            try ServeArguments.parse(base + compare)
        } throws: { error in
            guard case .rejected(let findings) = error as? ServeError else { return false }
            return !findings.isEmpty
        }
    }

    @Test("What QEMU accepts but a standalone compare daemon does not do is named as unsupported", arguments: [
        ["-netdev", "user,id=n0"],
        ["-M", "pc"],
        ["-monitor", "stdio"],
        ["-chardev", "file,id=f,path=/tmp/f"],
        ["-chardev", "socket,id=t,path=/tmp/t,server=on,wait=off,telnet=on"],
        ["-object", "filter-dump,id=d,netdev=n0,file=/tmp/d.pcap", "-netdev", "user,id=n0"],
        ["-qmp", "stdio"],
        ["-daemonize"],
    ])
    func unsupported(_ extra: [String]) throws {
        #expect {
            try ServeArguments.parse(Self.standard + extra)
        } throws: { error in
            if case .unsupported = error as? ServeError { return true }
            return false
        }
    }

    @Test("A command line without colo-compare has nothing to serve")
    func nothingToServe() {
        #expect(throws: ServeError.nothingToServe) {
            try ServeArguments.parse(["-M", "none", "-chardev", "socket,id=a,path=/tmp/a,server=on,wait=off"])
        }
    }
}
