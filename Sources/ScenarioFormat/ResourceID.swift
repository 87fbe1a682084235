/// Deterministic AWS-style IDs for resources a scenario names but does not give an ID.
///
/// `subnet` + name `SN714` always gives the same `subnet-0…` (17 hex digits, like AWS), so golden
/// outputs are stable and IDs look like the ones engineers see in the console.
enum ResourceID {
    static func make(prefix: String, name: String) -> String {
        // FNV-1a, 64-bit, over "prefix/name".
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in "\(prefix)/\(name)".utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01B3
        }
        let hex = String(hash, radix: 16)
        return "\(prefix)-0\(String(repeating: "0", count: 16 - hex.count))\(hex)"
    }
}
