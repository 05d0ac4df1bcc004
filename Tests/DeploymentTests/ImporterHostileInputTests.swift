import Testing
@testable import Fabric
@testable import Deployment

/// Issue #19, QEMU command lines through the importer (the lint's findings are checked by
/// LintRuleTests): any mutation of a real command line imports or fails with QEMU's kind of
/// message, never a trap; every message is one line.
@Suite("QEMU command-line importer: hostile input")
struct ImporterHostileInputTests {
    static let primary = """
        -netdev tap,id=hn0,vhost=off,script=/etc/qemu-ifup,downscript=/etc/qemu-ifdown
        -device e1000,id=e0,netdev=hn0,mac=52:a4:00:12:78:66
        -chardev socket,id=mirror0,host=127.0.0.1,port=9003,server=on,wait=off
        -chardev socket,id=compare1,host=127.0.0.1,port=9004,server=on,wait=off
        -chardev socket,id=compare0,host=127.0.0.1,port=9001,server=on,wait=off
        -chardev socket,id=compare0-0,host=127.0.0.1,port=9001
        -chardev socket,id=compare_out,host=127.0.0.1,port=9005,server=on,wait=off
        -chardev socket,id=compare_out0,host=127.0.0.1,port=9005
        -object iothread,id=iothread
        -object filter-mirror,id=m0,netdev=hn0,queue=tx,outdev=mirror0
        -object filter-redirector,id=redire0,netdev=hn0,queue=rx,indev=compare_out
        -object filter-redirector,id=redire1,netdev=hn0,queue=rx,outdev=compare0
        -object colo-compare,id=comp0,primary_in=compare0-0,secondary_in=compare1,outdev=compare_out0,iothread=iothread
        """

    static let secondary = """
        -netdev tap,id=hn0,vhost=off,script=/etc/qemu-ifup,downscript=/etc/qemu-ifdown
        -device e1000,netdev=hn0,mac=52:a4:00:12:78:66
        -chardev socket,id=red0,host=127.0.0.1,port=9003,reconnect=1
        -chardev socket,id=red1,host=127.0.0.1,port=9004,reconnect=1
        -object filter-redirector,id=f1,netdev=hn0,queue=tx,indev=red0
        -object filter-redirector,id=f2,netdev=hn0,queue=rx,outdev=red1
        -object filter-rewriter,id=rew0,netdev=hn0,queue=all
        """

    static let hostileValues = ["", "-1", "0", "4294967296", "18446744073709551616", "1e3", "on", "a,,b", "é", " ", "'", "\"",
                                "\\", "=", ",", String(repeating: "x", count: 10_000), "$(id)", "--", "\u{1}"]

    @Test("Property: random property values, dropped and doubled properties and words never trap the importer")
    func mutatedCommandLines() {
        var random = SplitMix64(seed: 19)
        let lines = Self.primary.split(separator: "\n").map(String.init)
        for _ in 0..<1_500 {
            var mutated = lines
            let index = Int(random.next() % UInt64(lines.count))
            let (option, spec) = (lines[index].prefix { $0 != " " }, lines[index].drop { $0 != " " }.dropFirst())
            var properties = spec.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            let position = Int(random.next() % UInt64(max(1, properties.count)))
            let value = Self.hostileValues[Int(random.next() % UInt64(Self.hostileValues.count))]
            switch random.next() % 4 {
            case 0: properties[position] = properties[position].prefix { $0 != "=" } + "=" + value
            case 1: properties.remove(at: position)
            case 2: properties.append(properties[position])
            default: mutated.insert(value, at: index)
            }
            mutated[min(index, mutated.count - 1)] = option + " " + properties.joined(separator: ",")
            let text = mutated.joined(separator: "\n")
            do {
                _ = try QEMUArgsImporter.importHost(text, role: .primary)
            } catch {
                #expect(!error.description.isEmpty, "\(text)")
            }
        }
    }

    @Test("Numbers QEMU refuses for colo-compare are refused with the property's name",
          arguments: ["compare_timeout=0", "compare_timeout=-1", "compare_timeout=4294967296", "expired_scan_cycle=0",
                      "max_queue_size=99999999999999999999999", "compare_timeout=abc"])
    func compareNumbers(_ property: String) {
        let mutated = Self.primary.replacingOccurrences(of: ",iothread=iothread", with: ",iothread=iothread,\(property)")
        do {
            _ = try QEMUArgsImporter.topology(primary: mutated, secondary: Self.secondary)
            Issue.record("\(property) accepted")
        } catch {
            let name = String(property.prefix { $0 != "=" })
            #expect(error.description.contains(name), "\(property): \(error)")
        }
    }
}
