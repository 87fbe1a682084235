import Foundation
import PacketWire
import Testing

@testable import PacketSources

/// The capture writers: what they write reads back through libpcap, and times a format cannot
/// hold are said, not trapped on.
@Suite("Capture writers")
struct WriterTests {
    @Test("a raw-IP pcap round-trips through libpcap: LINKTYPE_RAW on disk, DLT_RAW read back, bytes and nanoseconds kept")
    func rawRoundTrip() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("writer-raw-\(getpid()).pcap").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = try PcapFileWriter(path: path, linkType: .raw)
        let frames: [[UInt8]] = [[0x45, 0, 0, 20] + [UInt8](repeating: 0, count: 16), [0x60] + [UInt8](repeating: 7, count: 39)]
        for (index, frame) in frames.enumerated() { try writer.write(frame, seconds: 1_767_225_600 + Int64(index), nanoseconds: 999_999_999) }
        try writer.commit()
        let header = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(header[20] == 101, "LINKTYPE_RAW in the file")
        var read: [(LinkType, [UInt8], Int64, UInt32)] = []
        try CaptureReader(path: path).forEach { read.append(($0.linkType, Array($0.bytes), $0.seconds, $0.nanoseconds)) }
        #expect(read.map(\.0) == [.raw, .raw])
        #expect(read.map(\.1) == frames)
        #expect(read.map(\.2) == [1_767_225_600, 1_767_225_601] && read.allSatisfy { $0.3 == 999_999_999 })
    }

    @Test("pcapng time: nanoseconds since 1970 in 64 bits; before 1970 and after 2554 have none")
    func annotatorTime() {
        func units(_ seconds: Int64, _ nanoseconds: UInt32) -> UInt64? {
            [UInt8(0)].withUnsafeBytes { bytes in
                PcapngAnnotator.units(
                    CaptureFrame(number: 1, seconds: seconds, nanoseconds: nanoseconds, capturedLength: 0, originalLength: 0, linkType: .ethernet, bytes: bytes))
            }
        }
        #expect(units(0, 0) == 0)
        #expect(units(1_767_225_600, 5) == 1_767_225_600_000_000_005)
        #expect(units(-1, 0) == nil)
        #expect(units(18_446_744_073, 709_551_615) == UInt64.max)
        #expect(units(18_446_744_073, 709_551_616) == nil)
        #expect(units(Int64.max, 0) == nil)
    }

    @Test("libpcap's own mapping: LINKTYPE_RAW 101 is DLT_RAW 12, Ethernet is 1 both ways")
    func linkTypeMapping() {
        #expect(LibpcapLinkTypes.dlt(forFileValue: 101) == .raw)
        #expect(LibpcapLinkTypes.dlt(forFileValue: 1) == .ethernet)
        #expect(LibpcapLinkTypes.fileValue(for: .raw) == 101)
        #expect(LibpcapLinkTypes.fileValue(for: .linuxSLL2) == 276)
    }
}
