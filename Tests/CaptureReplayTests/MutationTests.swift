import CPcap
import CaptureReplay
import Foundation
import PacketSources
import Testing
import _PacketPathTestSupport

/// Issue 10: random mutations of real captures never crash the replay, and every frame libpcap
/// reads from a mutated file is classified and reported, once, in order.
@Suite("Mutated captures")
struct MutationTests {
    /// Frames libpcap itself delivers from `path` before the end or an error, and whether the
    /// error is the one that hands a pcapng to packet-path's own reader (several link types).
    /// libpcap is called here directly, as an oracle independent of PacketSources.
    static func libpcapFrames(_ path: String) -> (frames: Int, mixedLinkTypes: Bool) {
        var errbuf = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE))
        guard let handle = pcap_open_offline(path, &errbuf) else { return (0, false) }
        defer { pcap_close(handle) }
        var frames = 0
        var header: UnsafeMutablePointer<pcap_pkthdr>?
        var data: UnsafePointer<UInt8>?
        while pcap_next_ex(handle, &header, &data) == 1 { frames += 1 }
        let message = String(cString: pcap_geterr(handle))
        return (frames, message.contains("different from the type of the first interface"))
    }

    /// One mutation: flip bytes, cut the tail, duplicate or drop a run, or set a length field's
    /// bytes to extremes, at seeded places.
    static func mutate(_ bytes: [UInt8], _ generator: inout SeededGenerator) -> [UInt8] {
        var out = bytes
        guard !out.isEmpty else { return [UInt8.random(in: 0...255, using: &generator)] }
        switch Int.random(in: 0..<5, using: &generator) {
        case 0:
            for _ in 0..<Int.random(in: 1...8, using: &generator) {
                out[Int.random(in: 0..<out.count, using: &generator)] ^= UInt8.random(in: 1...255, using: &generator)
            }
        case 1:
            out.removeLast(Int.random(in: 1...out.count, using: &generator))
        case 2:
            let start = Int.random(in: 0..<out.count, using: &generator)
            let run = out[start..<min(out.count, start + Int.random(in: 1...64, using: &generator))]
            out.insert(contentsOf: run, at: Int.random(in: 0...out.count, using: &generator))
        case 3:
            let start = Int.random(in: 0..<out.count, using: &generator)
            out.removeSubrange(start..<min(out.count, start + Int.random(in: 1...64, using: &generator)))
        default:
            let at = Int.random(in: 0..<out.count, using: &generator) & ~3
            let value: UInt8 = Bool.random(using: &generator) ? 0xFF : 0x00
            for i in at..<min(out.count, at + 4) { out[i] = value }
        }
        return out
    }

    /// The captures to mutate: this target's fixtures, and the shared corpus's when present.
    static func captures() throws -> [String] {
        var paths = ["seed-after.eth.pcap", "seed-after.sll2.pcapng", "seed-after.vxlan-mirror.pcap", "seed-after.multi-interface.pcapng"]
            .map { try! Fixture.path($0) }
        let mixed = FileManager.default.temporaryDirectory.appendingPathComponent("mutation-mixed-\(getpid()).pcapng").path
        try Data(try Self.mixedLinkTypes()).write(to: URL(fileURLWithPath: mixed))
        paths.append(mixed)
        if !Corpus.skipNote("mutations of the shared captures") {
            for folder in ["pcaps/scenarios", "pcaps/formats", "pcaps/real"] {
                let url = Corpus.root.appendingPathComponent(folder)
                paths += try FileManager.default.contentsOfDirectory(atPath: url.path)
                    .filter { $0.hasSuffix(".pcap") || $0.hasSuffix(".pcapng") }.sorted().map { url.appendingPathComponent($0).path }
            }
        }
        return paths
    }

    /// A pcapng of Ethernet and raw-IP interfaces, which libpcap hands to packet-path's reader.
    static func mixedLinkTypes() throws -> [UInt8] {
        var builder = PcapngBuilder()
        builder.section()
        builder.interface(linkType: 1)
        builder.interface(linkType: 101)
        for (index, frame) in try Self.firstFrames(Fixture.path("seed-after.eth.pcap"), count: 12).enumerated() {
            if index % 2 == 0 {
                builder.enhancedPacket(interface: 0, timestamp: UInt64(index), data: frame)
            } else {
                builder.enhancedPacket(interface: 1, timestamp: UInt64(index), data: Array(frame.dropFirst(14)))
            }
        }
        return builder.bytes
    }

    static func firstFrames(_ path: String, count: Int) throws -> [[UInt8]] {
        var frames: [[UInt8]] = []
        try CaptureReader(path: path).forEach { if frames.count < count { frames.append(Array($0.bytes)) } }
        return frames
    }

    @Test("seeded mutations of every capture: no trap, and every frame libpcap reads is replayed and reported once, in order")
    func mutations() throws {
        let topology = try Fixture.topology(Fixture.seedAfterSnapshot)
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("mutated-\(getpid()).cap").path
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        var generator = SeededGenerator(state: 0x1010)
        var checked = 0
        var damaged = 0
        let captures = try Self.captures()
        let perCapture = captures.count > 10 ? 60 : 250
        for capture in captures {
            let original = [UInt8](try Data(contentsOf: URL(fileURLWithPath: capture)))
            for round in 0..<perCapture {
                var bytes = Self.mutate(original, &generator)
                if round % 3 == 0 { bytes = Self.mutate(bytes, &generator) }  // and twice over
                try Data(bytes).write(to: URL(fileURLWithPath: scratch))
                let oracle = Self.libpcapFrames(scratch)
                var numbers: [Int] = []
                do {
                    try Replayer(topology: topology, jobs: 1).replay(scratch, into: Summary(), frames: { frame, _, _ in numbers.append(frame.number) })
                } catch is CaptureError {
                    damaged += 1
                }
                #expect(numbers == Array(1...max(1, numbers.count)).prefix(numbers.count).map { $0 }, "\(capture) round \(round): frames in order, once")
                if oracle.mixedLinkTypes {
                    #expect(numbers.count >= oracle.frames, "\(capture) round \(round): packet-path's reader goes on where libpcap stops")
                } else {
                    #expect(numbers.count == oracle.frames, "\(capture) round \(round): \(numbers.count) replayed, libpcap reads \(oracle.frames)")
                }
                checked += 1
            }
        }
        #expect(checked >= 1_000)
        #expect(damaged > checked / 10, "the mutations do damage files (\(damaged) of \(checked))")
    }
}
