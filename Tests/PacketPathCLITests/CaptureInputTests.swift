import Foundation
import Testing
import _PacketPathTestSupport

/// Issue 10: captures libpcap refuses or that hold odd values, end to end.
@Suite("Capture input edge cases")
struct CaptureInputTests {
    static let snapshot = "Tests/EC2SnapshotTests/Fixtures/seed-after"
    static let capture = "Tests/CaptureReplayTests/Fixtures/seed-after.eth.pcap"

    /// The fixture capture's global header and first record, with the record's `ts_sec` replaced.
    static func pcap(withSeconds seconds: UInt32) throws -> [UInt8] {
        let bytes = [UInt8](try Data(contentsOf: CLIRunner.packageRoot.appendingPathComponent(capture)))
        let captured = Int(bytes[32]) | Int(bytes[33]) << 8 | Int(bytes[34]) << 16 | Int(bytes[35]) << 24  // incl_len, little-endian file
        var out = Array(bytes[0..<24 + 16 + captured])
        withUnsafeBytes(of: seconds.littleEndian) { for i in 0..<4 { out[24 + i] = $0[i] } }
        return out
    }

    @Test("--annotate of a record libpcap reads as before 1970: the frame is kept, its comment says why its time is 0")
    func annotateNegativeTime() throws {
        let folder = try CLIRunner.temporaryFolder("negative-time")
        let input = folder + "/old.pcap"
        try Data(try Self.pcap(withSeconds: 0xFFFF_FFFF)).write(to: URL(fileURLWithPath: input))
        let result = try CLIRunner.run(["replay", input, "--topology", Self.snapshot, "--annotate", folder + "/a.pcapng", "--format", "csv"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.split(separator: "\n").count == 2, "the frame is reported")
        guard CaptureCommandTests.tshark != nil else {
            print("note: tshark is not installed; the annotated file's comment is not read back")
            return
        }
        let comments = try CaptureCommandTests.runTshark(["-r", folder + "/a.pcapng", "-T", "fields", "-e", "frame.comment", "-e", "frame.time_epoch"])
        #expect(comments.contains("packet-path: ") && comments.contains("cannot be held by pcapng"), "\(comments)")
        #expect(comments.contains("\t0.000000"), "\(comments)")
    }

    @Test("--split of a pcapng whose interfaces are Ethernet and LINKTYPE_RAW: one file per link type, exit 0 (not 73)")
    func splitMixedLinkTypes() throws {
        let folder = try CLIRunner.temporaryFolder("split-mixed")
        let original = [UInt8](try Data(contentsOf: CLIRunner.packageRoot.appendingPathComponent(Self.capture)))
        let frame = Array(original[40..<40 + Int(original[32])])  // the first record's Ethernet frame (incl_len < 256)
        var builder = PcapngBuilder()
        builder.section()
        builder.interface(linkType: 1)
        builder.interface(linkType: 101)
        builder.enhancedPacket(interface: 0, timestamp: 1, data: frame)
        builder.enhancedPacket(interface: 1, timestamp: 2, data: Array(frame.dropFirst(14)))  // the same packet without its Ethernet header
        try Data(builder.bytes).write(to: URL(fileURLWithPath: folder + "/mixed.pcapng"))
        let result = try CLIRunner.run(["replay", folder + "/mixed.pcapng", "--topology", Self.snapshot, "--split", folder + "/out", "--format", "csv"])
        #expect(result.status == 0, "\(result.stderr)")
        let rows = result.stdout.split(separator: "\n").dropFirst()
        #expect(rows.count == 2 && rows.allSatisfy { $0.contains("10.0.7.10") }, "both frames decoded: \(rows)")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder + "/out").sorted()
        #expect(files.count == 2, "\(files)")
        let raw = try #require(files.first { $0.contains("RAW") })
        let header = [UInt8](try Data(contentsOf: URL(fileURLWithPath: "\(folder)/out/\(raw)")))
        #expect(header[20] == 101, "LINKTYPE_RAW on disk, as libpcap maps DLT_RAW")
    }

    @Test("a pcapng block with a trailing length unlike its leading one, read by the pure-Swift reader: exit 65 at that offset")
    func trailerMismatch() throws {
        let folder = try CLIRunner.temporaryFolder("trailer")
        var builder = PcapngBuilder()
        builder.section()
        builder.interface(linkType: 1)
        builder.interface(linkType: 101)
        builder.block(type: 4, body: [0, 0, 0, 0], trailer: 99)
        try Data(builder.bytes).write(to: URL(fileURLWithPath: folder + "/bad.pcapng"))
        let result = try CLIRunner.run(["replay", folder + "/bad.pcapng", "--topology", Self.snapshot])
        #expect(result.status == 65)
        #expect(result.stderr.contains("bad.pcapng at byte \(builder.bytes.count - 4): error:") && result.stderr.contains("differs from the start"), "\(result.stderr)")
    }
}
