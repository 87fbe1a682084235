import Decompression
import Foundation
import Testing

@Suite("gzip")
struct GzipTests {
    /// `bytes` compressed by the system's `gzip`, an implementation independent of zlib's inflate.
    static func gzip(_ bytes: [UInt8]) throws -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-c", "-n"]
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

    @Test("one member, and several members one after another (as cat a.gz b.gz), with zero padding after")
    func members() throws {
        let one = try Self.gzip(Self.text)
        #expect(Gzip.isCompressed(one) && !Gzip.isCompressed(Self.text))
        #expect(try Gzip.decompress(one) == Self.text)
        let two = try Self.gzip(Array("first\n".utf8)) + (try Self.gzip(Array("second\n".utf8))) + [0, 0, 0, 0]
        #expect(try Gzip.decompress(two) == Array("first\nsecond\n".utf8))
    }

    @Test("a truncated file and damaged data are errors with the byte offset, never a partial result")
    func damage() throws {
        let whole = try Self.gzip(Self.text)
        #expect(throws: DecompressionError.self) { try Gzip.decompress(Array(whole.prefix(whole.count / 2))) }
        do {
            _ = try Gzip.decompress(Array(whole.prefix(whole.count / 2)))
        } catch {
            #expect(error.message.contains("ends inside a member") && error.offset > 0 && error.offset <= whole.count / 2)
        }
        var damaged = whole
        for i in 20..<60 { damaged[i] ^= 0x5A }
        do {
            _ = try Gzip.decompress(damaged)
            Issue.record("damaged data decompressed")
        } catch {
            #expect(error.message.hasPrefix("not valid gzip data") && error.offset >= 10)
        }
    }
}
