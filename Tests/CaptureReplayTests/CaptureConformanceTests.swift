import CaptureReplay
import Foundation
import PacketSources
import PacketWire
import PathClassifier
import PathCore
import PathReporters
import Testing
import VPCTopology
import _PacketPathTestSupport

/// Every labelled frame of every shared capture gets its expected verdict.
@Suite("Capture conformance")
struct CaptureConformanceTests {
    @Test("committed fixtures: seed-after as Ethernet pcap, SLL2 pcapng and a VXLAN mirror")
    func fixtures() throws {
        let topology = try Fixture.topology(Fixture.seedAfterSnapshot)
        for (capture, labels) in [
            ("seed-after.eth.pcap", "seed-after.eth.flows.json"), ("seed-after.sll2.pcapng", "seed-after.sll2.pcapng.flows.json"),
            ("seed-after.vxlan-mirror.pcap", "seed-after.vxlan-mirror.pcap.flows.json"),
        ] {
            let file = try JSONDecoder().decode(Corpus.FlowsFile.self, from: Data(contentsOf: URL(fileURLWithPath: try Fixture.path(labels))))
            #expect(Fixture.check(try Fixture.path(capture), labels: file, topology: topology) > 70)
        }
    }

    @Test("every shared capture: scenarios, formats and the real netns captures")
    func corpus() throws {
        if Corpus.skipNote("capture conformance") { return }
        var checked = 0
        var topologies: [String: Topology] = [:]
        for folder in ["pcaps/scenarios", "pcaps/formats", "pcaps/real"] {
            for (capture, labels) in try Corpus.labelledCaptures(in: folder) {
                if topologies[labels.scenario] == nil {
                    topologies[labels.scenario] = try Fixture.topology(Corpus.root.appendingPathComponent("snapshots/\(labels.scenario)").path)
                }
                checked += Fixture.check(capture.path, labels: labels, topology: topologies[labels.scenario]!)
            }
        }
        #expect(checked > 2000)
    }

    @Test("counting, decisive and hops replays give every frame the reason and deciding resource of the full replay")
    func countingWalkDecidesAlike() throws {
        func outcomes(_ capture: String, _ topology: Topology, detail: PathDetail) throws -> [String] {
            var outcomes: [String] = []
            try Replayer(topology: topology, jobs: 1).replay(capture, into: Summary(), frames: { _, _, path in
                switch detail {
                case .reason:
                    #expect(path.hops.isEmpty)
                    outcomes.append(path.reason.rawValue)
                case .decisive, .hops, .full:
                    #expect(detail == .full || ((detail == .hops || path.hops.count <= 2) && path.notes.isEmpty))
                    #expect(detail != .hops || path.hops.allSatisfy { $0.detail.isEmpty })
                    outcomes.append("\(path.reason.rawValue) \(path.decisiveHop?.resource.description ?? "-")")
                }
            }, detail: detail)
            return outcomes
        }
        var captures = try ["seed-after.eth.pcap", "seed-after.sll2.pcapng", "seed-after.vxlan-mirror.pcap"].map {
            (try Fixture.path($0), try Fixture.topology(Fixture.seedAfterSnapshot))
        }
        if !Corpus.skipNote("counting replay against the shared captures") {
            for folder in ["pcaps/scenarios", "pcaps/formats", "pcaps/real"] {
                for (capture, labels) in try Corpus.labelledCaptures(in: folder) {
                    captures.append((capture.path, try Fixture.topology(Corpus.root.appendingPathComponent("snapshots/\(labels.scenario)").path)))
                }
            }
        }
        var frames = 0
        for (capture, topology) in captures {
            let full = try outcomes(capture, topology, detail: .full)
            #expect(try outcomes(capture, topology, detail: .decisive) == full, "\(capture)")
            #expect(try outcomes(capture, topology, detail: .hops) == full, "\(capture)")
            #expect(try outcomes(capture, topology, detail: .reason) == full.map { String($0.prefix { $0 != " " }) }, "\(capture)")
            frames += full.count
        }
        #expect(frames > 200)
    }

    @Test("bounded state: with tiny path and connection tables every frame gets the reason and path it gets with ample ones")
    func boundedStateKeepsVerdicts() throws {
        var captures = try ["seed-after.eth.pcap", "seed-after.sll2.pcapng", "seed-after.vxlan-mirror.pcap"].map {
            (try Fixture.path($0), try Fixture.topology(Fixture.seedAfterSnapshot))
        }
        if !Corpus.skipNote("bounded state against the shared captures") {
            for (capture, labels) in try Corpus.labelledCaptures(in: "pcaps/scenarios") {
                captures.append((capture.path, try Fixture.topology(Corpus.root.appendingPathComponent("snapshots/\(labels.scenario)").path)))
            }
        }
        // And a capture of interleaved connections: every SYN first, then every answer, then data,
        // so state must outlive many path-table turnovers (the fixtures hold one flow at a time).
        let interleaved = FileManager.default.temporaryDirectory.appendingPathComponent("interleaved-\(getpid()).pcap").path
        defer { try? FileManager.default.removeItem(atPath: interleaved) }
        let builder = FrameBuilder(linkType: .ethernet)
        let writer = try PcapFileWriter(path: interleaved, linkType: .ethernet)
        let alpha5 = IPAddress("10.0.7.10")!
        let servers = (0..<40).map { i in IPAddress(i % 2 == 0 ? "52.216.9.\(i + 1)" : "151.101.9.\(i + 1)")! }
        for (round, flags) in [(0, UInt8(0x02)), (1, 0x12), (2, 0x10), (3, 0x18), (4, 0x10)] {
            for (i, server) in servers.enumerated() {
                var packet = FrameBuilder.Packet(source: alpha5, destination: server, protocolNumber: .tcp)
                (packet.sourcePort, packet.destinationPort, packet.tcpFlags) = (UInt16(40_000 + i), 443, flags)
                if round % 2 == 1 { (packet.source, packet.destination, packet.sourcePort, packet.destinationPort) = (server, alpha5, 443, UInt16(40_000 + i)) }
                try writer.write(builder.frame(packet, sourceMAC: [2, 0, 0, 0, 0, 1], destinationMAC: [2, 0, 0, 0, 0, 2]), seconds: 1, nanoseconds: 0)
            }
        }
        try writer.commit()
        captures.append((interleaved, try Fixture.topology(Fixture.seedAfterSnapshot)))
        let decoder = FrameDecoder()
        var turnovers = 0
        for (capture, topology) in captures {
            for detail in [PathDetail.full, .decisive, .reason] {
                let ample = CaptureClassifier(topology: topology, detail: detail)
                // Two paths per path table: it starts again every few frames. And 100 connection
                // directions a generation: the interleaved capture's 80 live directions plus the
                // copies of those found in the older generation exceed it, so the connection table
                // turns over while every connection is still in use. Both must keep every verdict.
                let tiny = CaptureClassifier(topology: topology, detail: detail, connectionLimit: 100, pathLimit: 2)
                try CaptureReader(path: capture).forEach { frame in
                    let content = decoder.decode(frame.bytes, linkType: frame.linkType)
                    let expected = ample.classify(content).1
                    let got = tiny.classify(content).1
                    #expect(got.reason == expected.reason, "\(capture) frame \(frame.number)")
                    #expect(tiny.path(got) == ample.path(expected), "\(capture) frame \(frame.number)")
                }
                turnovers += tiny.generation
            }
        }
        #expect(turnovers > 10)
    }

    @Test("no walk reads the source port: every frame walks alike with another ephemeral port (walks are shared on that)")
    func walksIgnoreSourcePort() throws {
        var captures = try ["seed-after.eth.pcap", "seed-after.sll2.pcapng"].map {
            (try Fixture.path($0), try Fixture.topology(Fixture.seedAfterSnapshot))
        }
        if !Corpus.skipNote("source-port independence against the shared captures") {
            for (capture, labels) in try Corpus.labelledCaptures(in: "pcaps/scenarios") {
                captures.append((capture.path, try Fixture.topology(Corpus.root.appendingPathComponent("snapshots/\(labels.scenario)").path)))
            }
        }
        var compared = 0
        for (capture, topology) in captures {
            let classifier = Classifier(topology: topology)
            try Replayer(topology: topology, jobs: 1).replay(capture, into: Summary(), frames: { _, header, _ in
                guard let header, let port = header.sourcePort else { return }
                var other = header
                other.sourcePort = port == 40000 ? 40001 : 40000
                if let owner = topology.addressOwners[header.source]?.first {
                    for isReply in [false, true] {
                        #expect(classifier.classify(header, from: owner, isReply: isReply) == classifier.classify(other, from: owner, isReply: isReply))
                    }
                }
                if let owner = topology.addressOwners[header.destination]?.first {
                    #expect(classifier.classifyInbound(header, to: owner) == classifier.classifyInbound(other, to: owner))
                    let forward = Classification(reason: .igwDirect, hops: [], notes: [])
                    #expect(classifier.classifyReply(header, to: owner, forward: forward) == classifier.classifyReply(other, to: owner, forward: forward))
                }
                compared += 1
            })
        }
        #expect(compared > 100)
    }

    @Test("a pcapng with two interfaces of different link types matches the Ethernet capture flow by flow")
    func multiInterface() throws {
        let topology = try Fixture.topology(Fixture.seedAfterSnapshot)
        func verdicts(_ name: String) throws -> [String] {
            let (records, error) = Fixture.replay(try Fixture.path(name), topology: topology)
            #expect(error == nil)
            return records.map { r in
                "\(r.header.map { "\($0.source) \($0.destination) \($0.protocolNumber) \($0.sourcePort ?? 0) \($0.destinationPort ?? 0)" } ?? "-") \(r.classification.verdict)"
            }.sorted()
        }
        let multi = try verdicts("seed-after.multi-interface.pcapng")
        #expect(multi.count == 82)
        #expect(multi == (try verdicts("seed-after.eth.pcap")))
    }

    @Test("--no-vxlan classifies the mirror's outer UDP packets instead of the inner frames")
    func noVXLAN() throws {
        let topology = try Fixture.topology(Fixture.seedAfterSnapshot)
        let (records, _) = Fixture.replay(try Fixture.path("seed-after.vxlan-mirror.pcap"), topology: topology, vxlan: false)
        #expect(!records.isEmpty)
        #expect(records.allSatisfy { $0.header?.destinationPort == 4789 })
        let (inner, _) = Fixture.replay(try Fixture.path("seed-after.vxlan-mirror.pcap"), topology: topology)
        #expect(inner.contains { $0.classification.notes.contains { $0.contains("Traffic Mirroring") } })
    }
}
