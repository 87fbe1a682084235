import CaptureReplay
import Foundation
import PacketSources
import PacketWire
import PathClassifier
import Testing
import _PacketPathTestSupport

/// Broken captures: a clear error with the byte offset, complete frames before the damage kept.
@Suite("Malformed captures")
struct MalformedCaptureTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var file: String
        var framesBefore: Int
        var offset: Int?
        var phrase: String
        var testDescription: String { file }
    }

    /// What malformed.json says of each file, and the offset where reading must stop.
    static let cases: [Case] = [
        Case(file: "zero-length.pcap", framesBefore: 0, offset: 0, phrase: "truncated"),
        Case(file: "truncated-global-header.pcap", framesBefore: 0, offset: 0, phrase: "truncated"),
        Case(file: "wrong-magic.pcap", framesBefore: 0, offset: 0, phrase: "unknown file format"),
        Case(file: "garbage.pcap", framesBefore: 0, offset: 0, phrase: "unknown file format"),
        Case(file: "truncated-record-header.pcap", framesBefore: 5, offset: nil, phrase: "truncated"),
        Case(file: "truncated-record-data.pcap", framesBefore: 7, offset: nil, phrase: "truncated"),
        Case(file: "oversized-incl-len.pcap", framesBefore: 3, offset: nil, phrase: "bigger than snaplen"),
        Case(file: "pcapng-truncated-block.pcapng", framesBefore: 81, offset: nil, phrase: "truncated"),
        Case(file: "pcapng-bad-block-length.pcapng", framesBefore: 0, offset: 0, phrase: "not a multiple of 4"),
    ]

    /// Reads `path`, counting frames, and returns the error.
    static func read(_ path: String) -> (frames: Int, error: CaptureError?) {
        var frames = 0
        do {
            try CaptureReader(path: path).forEach { _ in frames += 1 }
            return (frames, nil)
        } catch {
            return (frames, error as? CaptureError ?? CaptureError(file: path, offset: nil, framesRead: frames, message: "\(error)"))
        }
    }

    @Test("committed malformed fixtures", arguments: ["zero-length.pcap", "truncated-global-header.pcap", "garbage.pcap", "truncated-record-data.pcap"])
    func fixtures(_ name: String) throws {
        let expected = try #require(Self.cases.first { $0.file == name })
        let (frames, error) = Self.read(try Fixture.path(name))
        let failure = try #require(error)
        #expect(frames == expected.framesBefore)
        #expect(failure.framesRead == expected.framesBefore)
        #expect(failure.description.contains(name) && failure.message.contains(expected.phrase), "\(failure)")
        #expect(failure.offset != nil, "a byte offset is named: \(failure)")
    }

    @Test("every shared malformed file", arguments: cases)
    func corpus(_ expected: Case) throws {
        if Corpus.skipNote("malformed \(expected.file)") { return }
        let path = Corpus.root.appendingPathComponent("pcaps/malformed/\(expected.file)").path
        let (frames, error) = Self.read(path)
        let failure = try #require(error)
        #expect(frames == expected.framesBefore)
        #expect(failure.message.contains(expected.phrase), "\(failure)")
        let offset = try #require(failure.offset)
        if let exact = expected.offset { #expect(offset == exact) }
        let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        #expect(offset <= size)
    }

    @Test("the damaged record's offset follows the complete ones (record boundaries)")
    func recordOffset() throws {
        let (_, error) = Self.read(try Fixture.path("truncated-record-data.pcap"))
        let failure = try #require(error)
        // 7 complete records after the 24-byte header; the 8th starts where they end.
        #expect(failure.offset! > 24 && failure.offset! < 1194)
    }
}

/// The decoder over every prefix of every frame, and with flipped bytes: a result, never a trap.
@Suite("Frame decoding robustness")
struct DecoderRobustnessTests {
    @Test("every truncation and byte flip of the fixture frames decodes or is reported malformed")
    func truncationsAndFlips() throws {
        var frames: [(LinkType, [UInt8])] = []
        for name in ["seed-after.eth.pcap", "seed-after.sll2.pcapng", "seed-after.vxlan-mirror.pcap"] {
            try CaptureReader(path: try Fixture.path(name)).forEach { frames.append(($0.linkType, Array($0.bytes))) }
        }
        #expect(frames.count > 200)
        let decoder = FrameDecoder()
        var malformed = 0
        var generator = SystemRandomNumberGenerator()
        for (linkType, bytes) in frames {
            for length in 0...bytes.count {
                let content = bytes.prefix(length).withUnsafeBytes { decoder.decode($0, linkType: linkType) }
                if case .malformed = content { malformed += 1 }
            }
            var flipped = bytes
            for _ in 0..<8 {
                let at = Int.random(in: 0..<flipped.count, using: &generator)
                flipped[at] ^= UInt8.random(in: 1...255, using: &generator)
                _ = flipped.withUnsafeBytes { decoder.decode($0, linkType: linkType) }
            }
        }
        #expect(malformed > frames.count)  // short prefixes are reported, not trapped on
    }

    @Test("a lying IPv4 header length is a reason code on the frame")
    func lyingHeader() {
        var frame: [UInt8] = [0x45, 0, 0, 10] + [UInt8](repeating: 0, count: 16)  // total length 10 < 20
        var content = frame.withUnsafeBytes { FrameDecoder().decode($0, linkType: .ipv4) }
        guard case .malformed(let error) = content else { Issue.record("\(content)"); return }
        #expect(error.code == .badHeaderLength)
        frame[0] = 0x43  // IHL 3 words
        content = frame.withUnsafeBytes { FrameDecoder().decode($0, linkType: .ipv4) }
        guard case .malformed(let second) = content else { Issue.record("\(content)"); return }
        #expect(second.code == .badHeaderLength)
    }

    @Test("an endless IPv6 extension chain stops at the bound")
    func extensionChain() {
        var frame: [UInt8] = [0x60, 0, 0, 0, 0, 200, 0, 64] + [UInt8](repeating: 0, count: 32)
        for _ in 0..<20 { frame += [0, 0, 0, 0, 0, 0, 0, 0] }  // hop-by-hop pointing at hop-by-hop
        let content = frame.withUnsafeBytes { FrameDecoder().decode($0, linkType: .ipv6) }
        guard case .malformed(let error) = content else { Issue.record("\(content)"); return }
        #expect(error.code == .extensionChainTooLong)
    }
}
