import Foundation
import Testing
@testable import Deployment
@testable import COLORuntime
@testable import Scenarios
@testable import Teaching

@Suite("Figure under load: many NICs, long filter lists, long ids")
struct FigureStressTests {
    /// `nics` copies of the reference path on both hosts, each list lengthened with a dump and
    /// a buffer, ids and paths made long, virtio-net NICs.
    static func commandLines(nics: Int, idSuffix: String = "") -> (primary: String, secondary: String) {
        var primary = ["-object iothread,id=iothread"]
        var secondary: [String] = []
        for index in 0..<nics {
            let base = 9000 + 10 * index
            let secondaryIn = "compare_secondary_input_\(index)\(idSuffix)"
            primary += [
                "-netdev tap,id=hn\(index),vhost=off",
                "-device virtio-net-pci,id=e\(index),netdev=hn\(index)",
                "-chardev socket,id=mirror\(index),host=127.0.0.1,port=\(base + 3),server=on,wait=off",
                "-chardev socket,id=\(secondaryIn),host=127.0.0.1,port=\(base + 4),server=on,wait=off",
                "-chardev socket,id=compare\(index),host=127.0.0.1,port=\(base + 1),server=on,wait=off",
                "-chardev socket,id=compare\(index)-0,host=127.0.0.1,port=\(base + 1)",
                "-chardev socket,id=compare_out\(index),host=127.0.0.1,port=\(base + 5),server=on,wait=off",
                "-chardev socket,id=compare_out\(index)x,host=127.0.0.1,port=\(base + 5)",
                "-object filter-dump,id=dump_before_mirror_\(index),netdev=hn\(index),file=/var/tmp/lockstep-long-capture-name-\(index).pcap",
                "-object filter-mirror,id=m\(index),netdev=hn\(index),queue=tx,outdev=mirror\(index),vnet_hdr_support=on",
                "-object filter-redirector,id=redire\(2 * index),netdev=hn\(index),queue=rx,indev=compare_out\(index),vnet_hdr_support=on",
                "-object filter-redirector,id=redire\(2 * index + 1),netdev=hn\(index),queue=rx,outdev=compare\(index),vnet_hdr_support=on",
                "-object filter-buffer,id=buf\(index),netdev=hn\(index),queue=rx,interval=1000,status=off",
                "-object colo-compare,id=comp\(index),primary_in=compare\(index)-0,secondary_in=\(secondaryIn),outdev=compare_out\(index)x,iothread=iothread,vnet_hdr_support=on",
            ]
            secondary += [
                "-netdev tap,id=hn\(index),vhost=off",
                "-device virtio-net-pci,netdev=hn\(index)",
                "-chardev socket,id=red\(2 * index),host=127.0.0.1,port=\(base + 3),reconnect=1",
                "-chardev socket,id=red\(2 * index + 1),host=127.0.0.1,port=\(base + 4),reconnect=1",
                "-object filter-redirector,id=f\(2 * index),netdev=hn\(index),queue=tx,indev=red\(2 * index),vnet_hdr_support=on",
                "-object filter-redirector,id=f\(2 * index + 1),netdev=hn\(index),queue=rx,outdev=red\(2 * index + 1),vnet_hdr_support=on",
                "-object filter-rewriter,id=rew\(index),netdev=hn\(index),queue=all,vnet_hdr_support=on",
            ]
        }
        return (primary.joined(separator: "\n"), secondary.joined(separator: "\n"))
    }

    @Test("1 to 5 NICs with five filters each: every line fits 120 columns, every pipe is drawn, every id shows",
          arguments: 1...5, FigureStyle.allCases)
    func manyNICs(nics: Int, style: FigureStyle) throws {
        let lines = Self.commandLines(nics: nics)
        let subject = try FigureSubject.commandLines(primary: lines.primary, secondary: lines.secondary, title: "\(nics) NICs")
        let drawing = FigureRenderer.draw(subject, style: style)
        let rows = drawing.text.split(separator: "\n").map(String.init)
        let widest = rows.map(\.count).max() ?? 0
        #expect(widest <= FigureRenderer.maximumWidth)
        #expect(drawing.unroutedLinks.isEmpty, "\(drawing.unroutedLinks)")
        let picture = drawing.text.components(separatedBy: "\nPipes:").first ?? ""
        for id in ["hn\(nics - 1)", "dump_before_mirror_\(nics - 1)", "compare_secondary_input_\(nics - 1)", "rew\(nics - 1)", "buf0", "comp\(nics - 1)"] {
            #expect(picture.contains(id), "\(id) missing with \(nics) NICs")
        }
    }

    @Test("An id longer than any box wraps onto the next row instead of being cut off")
    func longID() throws {
        let suffix = String(repeating: "_and_more", count: 6)
        let lines = Self.commandLines(nics: 1, idSuffix: suffix)
        let subject = try FigureSubject.commandLines(primary: lines.primary, secondary: lines.secondary, title: "long id")
        for style in FigureStyle.allCases {
            let drawing = FigureRenderer.draw(subject, style: style)
            let rows = drawing.text.split(separator: "\n").map { Array($0) }
            let row = try #require(rows.firstIndex { String($0).contains("secondary_in=") })
            let column = try #require(rows[row].indices.first { String(rows[row][$0...]).hasPrefix("secondary_in=") })
            let borders: Set<Character> = ["|", "│", "┃", "#"]
            let left = try #require(rows[row][..<column].lastIndex { borders.contains($0) })
            let right = try #require(rows[row][column...].firstIndex { borders.contains($0) })
            var text = ""
            for line in rows[row...] where line.count > right {
                let inside = String(line[(left + 1)..<right])
                if inside.hasPrefix("-") || inside.hasPrefix("─") { break }
                text += inside.trimmingCharacters(in: .whitespaces)
            }
            #expect(text == "secondary_in=compare_secondary_input_0\(suffix)")
            #expect(drawing.text.split(separator: "\n").allSatisfy { $0.count <= FigureRenderer.maximumWidth })
            #expect(drawing.unroutedLinks.isEmpty)
        }
    }
}

@Suite("Figure of generated topologies")
struct FigureGeneratedTests {
    @Test("100 seeded random topologies (refused filters, unpaired chardevs, odd paths): drawn without a trap, within 120 columns, every id of the model shown")
    func generated() {
        for seed in UInt64(0)..<100 {
            var generator = TopologyGenerator(seed: seed)
            let topology = generator.topology()
            let drawing = FigureRenderer.draw(FigureSubject(topology: topology, title: "seed \(seed)"), style: .unicode)
            let rows = drawing.text.split(separator: "\n")
            #expect(rows.allSatisfy { $0.count <= FigureRenderer.maximumWidth }, "seed \(seed)")
            var ids: [String] = []
            for role in HostRole.allCases {
                let host = topology[role]
                ids += host.netdevs.map(\.id) + host.chardevs.map(\.id) + host.objects.map(\.id) + host.nics.compactMap(\.id)
            }
            for id in ids {
                #expect(drawing.text.contains(id), "seed \(seed): \(id) missing")
            }
        }
    }
}
