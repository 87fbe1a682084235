import Decompression
import Foundation
import Testing

@Suite("gzip, zstd and xz")
struct CompressionTests {
    /// `bytes` compressed by the system's tool (`gzip`, `zstd`, `xz`): implementations independent
    /// of the decoders under test.
    static func compress(_ bytes: [UInt8], _ format: Compression) throws -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [format.rawValue, "-c", format == .gzip ? "-n" : "-q"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        try input.fileHandleForWriting.write(contentsOf: Data(bytes))
        try input.fileHandleForWriting.close()
        let compressed = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return [UInt8](compressed)
    }

    static let text = Array((0..<5_000).map { "2 123456789012 eni-\($0) 10.0.7.10 3.5.21.73 \($0) 443 6 5 317 1748851800 1748851801 ACCEPT OK\n" }.joined().utf8)

    @Test("each format by its magic number; one member or frame, and several one after another (as cat a.gz b.gz)", arguments: Compression.allCases)
    func members(_ format: Compression) throws {
        let one = try Self.compress(Self.text, format)
        #expect(Compression(magic: one) == format && Compression(magic: Self.text) == nil)
        #expect(try format.decompress(one) == Self.text)
        let two = try Self.compress(Array("first\n".utf8), format) + (try Self.compress(Array("second\n".utf8), format))
        #expect(try format.decompress(two) == Array("first\nsecond\n".utf8))
    }

    @Test("gzip: zero padding after the last member is the end")
    func gzipPadding() throws {
        let padded = try Self.compress(Array("first\n".utf8), .gzip) + [0, 0, 0, 0]
        #expect(try Compression.gzip.decompress(padded) == Array("first\n".utf8))
    }

    @Test("streamed a byte at a time, the output is the same", arguments: Compression.allCases)
    func streamed(_ format: Compression) throws {
        let compressed = try Self.compress(Self.text, format)
        var position = 0
        var output: [UInt8] = []
        try format.decompress(
            read: { buffer in
                guard position < compressed.count, !buffer.isEmpty else { return 0 }
                buffer[0] = compressed[position]
                position += 1
                return 1
            }, write: { output.append(contentsOf: $0) })
        #expect(output == Self.text)
    }

    @Test("a truncated file and damaged data are errors with the byte offset, never a partial result", arguments: Compression.allCases)
    func damage(_ format: Compression) throws {
        let whole = try Self.compress(Self.text, format)
        do {
            _ = try format.decompress(Array(whole.prefix(whole.count / 2)))
            Issue.record("a truncated file decompressed")
        } catch {
            #expect(error.message.contains("ends inside") && error.offset > 0 && error.offset <= whole.count / 2, "\(error)")
        }
        var damaged = whole
        for i in 20..<60 { damaged[i] ^= 0x5A }
        do {
            _ = try format.decompress(damaged)
            Issue.record("damaged data decompressed")
        } catch {
            #expect(error.message.hasPrefix("not valid \(format.rawValue) data"), "\(error)")
        }
    }
}
