import Foundation
import Testing

/// `packet-path bench lpm`: the contract's inputs and outputs.
@Suite("bench lpm")
struct BenchCommandTests {
    static func files(routes: String, lookups: [UInt8]) throws -> (URL, URL, URL) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("packet-path-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let r = directory.appendingPathComponent("t.routes")
        let k = directory.appendingPathComponent("t.keys")
        try routes.write(to: r, atomically: true, encoding: .utf8)
        try Data(lookups).write(to: k)
        return (directory, r, k)
    }

    @Test("JSON keys, and a checksum that is the sum of the next hops found (a miss counts 0)")
    func checksum() throws {
        let routes = "# comment\n10.0.0.0/8 7\n10.1.0.0/16 9   # more specific\n0.0.0.0/0 1\n192.0.2.0/25 3\n"
        // 10.1.2.3 → 9, 10.9.9.9 → 7, 192.0.2.200 → 1 (the /25 does not contain .200), 8.8.8.8 → 1
        let keys: [UInt8] = [10, 1, 2, 3, 10, 9, 9, 9, 192, 0, 2, 200, 8, 8, 8, 8]
        let (directory, r, k) = try Self.files(routes: routes, lookups: keys)
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try CLIRunner.run(["bench", "lpm", "--routes", r.path, "--lookups", k.path, "--repeat", "1", "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["checksum"] as? Int == 9 + 7 + 1 + 1)
        #expect(Set(object.keys) == ["buildSeconds", "structureBytes", "lookupsPerSecond", "checksum"])
        #expect((object["structureBytes"] as? Int ?? 0) > 0)
    }

    @Test("IPv6, with a miss")
    func ipv6() throws {
        var keys: [UInt8] = [0x20, 0x01, 0x0d, 0xb8] + [UInt8](repeating: 0, count: 11) + [1]  // 2001:db8::1 → 5
        keys += [0xfe, 0x80] + [UInt8](repeating: 0, count: 14)  // fe80:: → miss
        let (directory, r, k) = try Self.files(routes: "2001:db8::/32 5\n2001:db8:1::/48 6\n", lookups: keys)
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try CLIRunner.run(["bench", "lpm", "--routes", r.path, "--lookups", k.path, "--family", "6", "--repeat", "1", "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("\"checksum\":5}"))
    }

    @Test("bad routes and bad lookup files are named, exit 65")
    func badInput() throws {
        let (directory, r, k) = try Self.files(routes: "10.0.0.0/8 7\n10.0.0.1/8 3\nnot a route\n10.0.0.0/8 0\n", lookups: [1, 2, 3])
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try CLIRunner.run(["bench", "lpm", "--routes", r.path, "--lookups", k.path])
        #expect(result.status == 65)
        #expect(result.stderr.contains("t.routes:2: error:") && result.stderr.contains("host bits"))
        #expect(result.stderr.contains("t.routes:3: error:") && result.stderr.contains("t.routes:4: error:"))
        try "10.0.0.0/8 7\n".write(to: r, atomically: true, encoding: .utf8)
        let keys = try CLIRunner.run(["bench", "lpm", "--routes", r.path, "--lookups", k.path])
        #expect(keys.status == 65)
        #expect(keys.stderr.contains("not a whole number of 4-byte addresses"))
    }
}
