#if canImport(Glibc)
import Glibc
#endif
import CaptureReplay
import Decompression
import EC2Snapshot
import FlowLogs
import PacketSources
import PacketWire
import PathClassifier
import PathCore
import ScenarioFormat
import TrafficAnalysis
import VPCTopology

/// What the fuzzers run on each input (`Tests/Fuzz`, scripts/fuzz.sh) and what the regression
/// tests run on every committed case. A harness returns normally for any input, bad input
/// included; a broken invariant traps (`precondition`), which is what the fuzzers look for.
public enum FuzzHarness {
    /// The link types the frame decoder is tried with; the input's first byte picks one.
    static let linkTypes: [LinkType] = [.ethernet, .raw, .rawAlternative, .ipv4, .ipv6, .linuxSLL, .linuxSLL2, .null, .loop, LinkType(rawValue: 9999)]

    /// The frame decoder: any bytes under any link type decode or are reported malformed.
    public static func frameDecoder(_ input: UnsafeRawBufferPointer) {
        guard let first = input.first else { return }
        let linkType = linkTypes[Int(first) % linkTypes.count]
        for decapsulates in [true, false] {
            let content = FrameDecoder(decapsulatesVXLAN: decapsulates).decode(UnsafeRawBufferPointer(rebasing: input.dropFirst()), linkType: linkType)
            if case .packet(let packet) = content {
                precondition(packet.header.source.family == packet.header.destination.family, "one family per packet")
            }
        }
    }

    /// The seed-after scenario: the topology captures, flows and differential walks run against.
    static let seedTopology: Topology = {
        let path = packageRoot + "/Scenarios/seed/after.yaml"
        guard let text = readText(path), let (topology, _) = try? ScenarioLoader.load(text, file: path) else {
            fatalError("the fuzz harness needs \(path)")
        }
        return topology
    }()

    /// The package root, from this file's path (the harness runs from a checkout).
    static let packageRoot: String = {
        var path = #filePath
        for _ in 0..<3 { path = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)]) }
        return path
    }()

    static func readText(_ path: String) -> String? {
        guard let file = fopen(path, "rb") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while case let count = fread(&chunk, 1, chunk.count, file), count > 0 { bytes += chunk[0..<count] }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A capture (pcap or pcapng, any damage) replayed against the seed topology: every frame
    /// the reader delivers is classified once, numbered 1, 2, 3, … in order, and the three levels
    /// of detail agree on every frame's reason.
    public static func capture(_ input: UnsafeRawBufferPointer) {
        let path = "/dev/shm/packet-path-fuzz-\(getpid()).cap"
        guard let file = fopen(path, "wb") else { return }
        _ = fwrite(input.baseAddress ?? UnsafeRawPointer(bitPattern: 1)!, 1, input.count, file)
        fclose(file)
        defer { unlink(path) }
        var reasons: [[Reason]] = []
        for detail in [PathDetail.full, .decisive, .reason] {
            var seen: [Reason] = []
            let replayer = Replayer(topology: seedTopology, jobs: 1)
            let result = try? replayer.replay(path, into: Summary(), frames: { frame, _, classification in
                precondition(frame.number == seen.count + 1, "frames numbered in order, each once")
                precondition(frame.capturedLength == frame.bytes.count && frame.nanoseconds < 1_000_000_000)
                seen.append(classification.reason)
            }, detail: detail)
            if let result { precondition(result.frames == seen.count, "every frame read is reported") }
            reasons.append(seen)
        }
        precondition(reasons[0] == reasons[1] && reasons[1] == reasons[2], "the levels of detail agree on every frame")
    }

    /// Snapshot JSON: the input split at NUL bytes into files (`describe-*.json`), loaded; a
    /// topology that loads is walked (``walk(_:)``).
    public static func snapshot(_ input: UnsafeRawBufferPointer) {
        let parts = input.split(separator: 0, omittingEmptySubsequences: false)
        let files = parts.enumerated().map { (name: "file\($0.offset).json", bytes: Array($0.element)) }
        guard let (topology, _) = try? SnapshotImporter.load(files: files) else { return }
        walk(topology)
    }

    /// A YAML scenario: loaded; a topology that loads is walked (``walk(_:)``).
    public static func scenario(_ input: UnsafeRawBufferPointer) {
        let text = String(decoding: input, as: UTF8.self)
        guard let (topology, _) = try? ScenarioLoader.load(text, file: "fuzz.yaml") else { return }
        walk(topology)
    }

    /// A flow file: loaded and resolved against the seed topology; every flow that resolves is
    /// classified, and the compiled route tables agree with the reference walk.
    public static func flowFile(_ input: UnsafeRawBufferPointer) {
        let text = String(decoding: input, as: UTF8.self)
        guard let flows = try? FlowFileLoader.load(text, file: "fuzz-flows.yaml") else { return }
        let resolver = NameResolver(topology: seedTopology)
        let reference = Classifier(topology: seedTopology)
        let compiled = Classifier(topology: seedTopology, routes: .compiled(CompiledRoutes(seedTopology)))
        for (index, flow) in flows.prefix(64).enumerated() {
            guard let resolved = try? resolver.resolve(flow, ordinal: index) else { continue }
            agree(reference, compiled, resolved.header, from: resolved.source)
        }
    }

    /// A flow log file (gzip or text, any style): read with the default format and, when the
    /// first byte is odd, a custom version-5 one; replayed against the seed topology. Every
    /// record read is accounted for once, positions run in file order, and the tally adds up.
    public static func flowLog(_ input: UnsafeRawBufferPointer) {
        var bytes = Array(input)
        if let compression = Compression(magic: bytes) {
            guard let inflated = try? compression.decompress(bytes) else { return }
            bytes = inflated
        }
        let custom = try? FlowLogFormat(parsing: "version interface-id srcaddr dstaddr pkt-srcaddr pkt-dstaddr srcport dstport protocol packets bytes start end action log-status flow-direction traffic-path")
        let log = FlowLogText(utf8: bytes, format: (input.first ?? 0) & 1 == 1 ? custom : nil)
        let positions = log.entries.map(\.position)
        precondition(zip(positions, positions.dropFirst()).allSatisfy { $0 < $1 }, "record positions follow the file")
        guard let tally = try? Replayer(topology: seedTopology, jobs: 1).replay(flowLog: log, file: "fuzz.log", into: Summary()) else {
            preconditionFailure("a flow log replay without sinks cannot fail")
        }
        precondition(tally.records == log.entries.count, "every record is replayed once")
        precondition(tally.agree + tally.disagree + tally.notCompared + tally.withoutTraffic == tally.records, "the tally adds up")
    }

    /// A summary document (`merge`'s input) and a pricing file (`recommend --pricing`): what reads
    /// is written back as the same text, adds to itself or says why not, and prices.
    public static func summary(_ input: UnsafeRawBufferPointer) {
        let bytes = Array(input)
        if let report = try? TrafficReport(json: bytes) {
            let text = report.json()
            guard let again = try? TrafficReport(json: Array(text.utf8)) else { preconditionFailure("a written summary reads back") }
            precondition(again == report && again.json() == text, "a summary reads back as written")
            var doubled = report
            if (try? doubled.add(report)) != nil {
                precondition(doubled.total.records == report.total.records * 2, "adding adds")
            } else {
                precondition(doubled == report, "a sum that overflows changes nothing")
            }
            for found in Recommendation.recommend(report, pricing: Pricing()) {
                precondition(found.natSaving >= 0 && found.dataCost >= 0 && found.monthlyFixedCost >= 0, "no negative price")
            }
        }
        _ = try? Pricing(json: bytes)
    }

    /// Walks packets through a topology: from each interface (at most 16) to each other
    /// interface's addresses, to the internet and to S3, both families; and in from the internet
    /// to each public address. The reference walk and the compiled route tables must agree.
    static func walk(_ topology: Topology) {
        let reference = Classifier(topology: topology)
        let compiled = Classifier(topology: topology, routes: .compiled(CompiledRoutes(topology)))
        let interfaces = topology.interfaces.indices.prefix(16).map { InterfaceIndex($0) }
        var destinations: [IPAddress] = [IPAddress("8.8.8.8")!, IPAddress("52.216.0.1")!, IPAddress("2600:1f18::1")!]
        for interface in interfaces { destinations += topology[interface].addresses.prefix(2) }
        for source in interfaces {
            guard let from = topology[source].addresses.first else { continue }
            for destination in destinations.prefix(40) where destination.family == from.family {
                for protocolNumber in [IPProtocolNumber.tcp, .udp] {
                    let header = PacketHeader(source: from, destination: destination, protocolNumber: protocolNumber, sourcePort: 40_000, destinationPort: 443)
                    agree(reference, compiled, header, from: source)
                }
            }
        }
        for interface in interfaces {
            for binding in topology[interface].ipv4 {
                guard let address = binding.publicAddress else { continue }
                let header = PacketHeader(source: IPAddress("198.51.100.9")!, destination: .v4(address), protocolNumber: .tcp, sourcePort: 40_000, destinationPort: 22)
                let full = reference.classifyInbound(header, to: interface)
                let fast = compiled.classifyInbound(header, to: interface, detail: .reason)
                precondition(full.reason == fast.reason, "compiled routes agree with the reference walk inbound: \(full.reason) vs \(fast.reason)")
            }
        }
    }

    /// One packet through both walks: the reason must be the same.
    static func agree(_ reference: Classifier, _ compiled: Classifier, _ header: PacketHeader, from source: InterfaceIndex) {
        let full = reference.classify(header, from: source)
        let fast = compiled.classify(header, from: source, detail: .reason)
        precondition(full.reason == fast.reason, "compiled routes agree with the reference walk: \(full.reason) vs \(fast.reason) for \(header)")
    }
}
