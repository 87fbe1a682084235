/// Builds pcapng files block by block (draft-ietf-opsawg-pcapng), well-formed or damaged on
/// purpose, for the reader's tests and the fuzzers' seeds.
public struct PcapngBuilder {
    public private(set) var bytes: [UInt8] = []
    /// The byte order of the section being written.
    public var bigEndian: Bool

    public init(bigEndian: Bool = false) { self.bigEndian = bigEndian }

    func encode16(_ value: UInt16) -> [UInt8] {
        let ordered = bigEndian ? value.bigEndian : value.littleEndian
        return withUnsafeBytes(of: ordered) { Array($0) }
    }

    func encode32(_ value: UInt32) -> [UInt8] {
        let ordered = bigEndian ? value.bigEndian : value.littleEndian
        return withUnsafeBytes(of: ordered) { Array($0) }
    }

    func encode64(_ value: UInt64) -> [UInt8] {
        let ordered = bigEndian ? value.bigEndian : value.littleEndian
        return withUnsafeBytes(of: ordered) { Array($0) }
    }

    /// `bytes` padded with zeros to a multiple of 4.
    static func padded(_ bytes: [UInt8]) -> [UInt8] { bytes + [UInt8](repeating: 0, count: (4 - bytes.count % 4) % 4) }

    /// Any block: type, total length, body, total length again. `length` and `trailer` override
    /// the lengths written (for damage); the body is written as given.
    public mutating func block(type: UInt32, body: [UInt8], length: UInt32? = nil, trailer: UInt32? = nil) {
        let total = UInt32(12 + body.count)
        bytes += encode32(type) + encode32(length ?? total) + body + encode32(trailer ?? length ?? total)
    }

    /// Options: each `(code, value)`, then opt_endofopt.
    public func options(_ options: [(UInt16, [UInt8])]) -> [UInt8] {
        guard !options.isEmpty else { return [] }
        var out: [UInt8] = []
        for (code, value) in options { out += encode16(code) + encode16(UInt16(value.count)) + Self.padded(value) }
        return out + [0, 0, 0, 0]
    }

    /// A Section Header Block, version `major`.1.
    public mutating func section(major: UInt16 = 1) {
        block(type: 0x0A0D_0D0A, body: encode32(0x1A2B_3C4D) + encode16(major) + encode16(0) + encode64(UInt64.max))
    }

    /// An Interface Description Block with `linkType` (a LINKTYPE_* value).
    public mutating func interface(linkType: UInt16, snapshotLength: UInt32 = 0, options: [(UInt16, [UInt8])] = []) {
        block(type: 1, body: encode16(linkType) + encode16(0) + encode32(snapshotLength) + self.options(options))
    }

    /// An Enhanced Packet Block.
    public mutating func enhancedPacket(interface: UInt32, timestamp: UInt64, data: [UInt8], originalLength: UInt32? = nil) {
        let body = encode32(interface) + encode32(UInt32(truncatingIfNeeded: timestamp >> 32)) + encode32(UInt32(truncatingIfNeeded: timestamp))
            + encode32(UInt32(data.count)) + encode32(originalLength ?? UInt32(data.count)) + Self.padded(data)
        block(type: 6, body: body)
    }

    /// An obsolete Packet Block (type 2), as old tools wrote.
    public mutating func obsoletePacket(interface: UInt16, timestamp: UInt64, data: [UInt8]) {
        let body = encode16(interface) + encode16(0) + encode32(UInt32(truncatingIfNeeded: timestamp >> 32))
            + encode32(UInt32(truncatingIfNeeded: timestamp)) + encode32(UInt32(data.count)) + encode32(UInt32(data.count)) + Self.padded(data)
        block(type: 2, body: body)
    }

    /// A Simple Packet Block (interface 0, no timestamp).
    public mutating func simplePacket(data: [UInt8]) {
        block(type: 3, body: encode32(UInt32(data.count)) + Self.padded(data))
    }
}
