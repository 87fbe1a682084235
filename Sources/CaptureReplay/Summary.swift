import PathClassifier
import PathCore

/// Counts per verdict and per reason over a run — packets and, for captures, bytes — and the
/// busiest conversations; every packet is counted exactly once.
///
/// Counting costs no allocation, no `Hasher` and no exclusivity check: reasons are counted by
/// ``Reason/ordinal`` in counters behind a `let` reference (``SharedBuffer``); conversations are numbered once (a
/// ``FlowTable`` probe, ``conversation(of:)``) and counted by number, so a replay that remembers
/// each connection's number (a ``CaptureClassifier`` given the summary keeps it with the connection) counts a frame
/// without a lookup.
public final class Summary {
    private static let reasonCount = Reason.allCases.count
    /// Packets, bytes, packets per reason, bytes per reason.
    private let counters = SharedBuffer<Int>(repeating: 0, count: 2 + 2 * Summary.reasonCount)
    private static func packetsIndex(_ reason: Reason) -> Int { 2 + reason.ordinal }
    private static func bytesIndex(_ reason: Reason) -> Int { 2 + reasonCount + reason.ordinal }

    /// Packets counted.
    public var packets: Int { counters[0] }
    /// Bytes counted (captures: the frames' original lengths).
    public var bytes: Int { counters[1] }

    /// Conversations, numbered in the order first seen: two addresses (in order) and a protocol;
    /// per number its key, packets, bytes and the reason of its first packet.
    private let conversationNumbers = FlowTable<PacketKey, Int32>(limit: conversationLimit)
    private struct Conversation {
        var key: PacketKey
        var packets: Int
        var bytes: Int
        var reason: Reason?
    }
    /// Slots initialized as conversations are first seen (a summary costs nothing up front).
    private let conversations = SharedBuffer<Conversation>(uninitializedCapacity: Summary.conversationLimit)
    /// Conversations tracked at most (the first ones seen), so memory stays flat on huge captures.
    static let conversationLimit = 1 << 14

    /// pcapng blocks that hold no packets and were skipped, by block type name (docs/captures.md).
    public var skippedBlocks: [String: Int] = [:]
    /// Frames read but not selected by the capture filter (`--filter`): counted, not judged.
    public var filteredFrames = 0
    /// Frames read from captures, selected or not.
    public var framesRead = 0

    /// `3 pcapng blocks without packets skipped: Interface Statistics 2, Name Resolution 1`.
    package static func describe(skippedBlocks: [String: Int]) -> String {
        let total = skippedBlocks.values.reduce(0, +)
        let each = skippedBlocks.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        return "\(total) pcapng block\(total == 1 ? "" : "s") without packets skipped: \(each)"
    }

    public init() {}

    deinit { conversations.deinitialize(first: conversationNumbers.count) }

    /// The number of a packet's conversation, given when first seen; -1 past the limit.
    func conversation(of header: PacketHeader) -> Int32 {
        let key = header.source < header.destination
            ? PacketKey(header.source, header.destination, tag: UInt64(header.protocolNumber.rawValue))
            : PacketKey(header.destination, header.source, tag: UInt64(header.protocolNumber.rawValue))
        return conversation(key)
    }

    private func conversation(_ key: PacketKey) -> Int32 {
        if let slot = conversationNumbers.find(key) { return conversationNumbers[slot: slot] }
        let number = conversationNumbers.count
        guard number < Self.conversationLimit else { return -1 }
        conversations.initialize(number, to: Conversation(key: key, packets: 0, bytes: 0, reason: nil))
        conversationNumbers.insert(key, Int32(number))
        return Int32(number)
    }

    /// Packets per verdict (verdicts with none left out).
    public var byVerdict: [Verdict: Int] {
        var counts: [Verdict: Int] = [:]
        for reason in Reason.allCases where counters[Self.packetsIndex(reason)] > 0 {
            counts[reason.verdict, default: 0] += counters[Self.packetsIndex(reason)]
        }
        return counts
    }

    /// Packets per reason (reasons with none left out).
    public var byReason: [Reason: Int] {
        var counts: [Reason: Int] = [:]
        for reason in Reason.allCases where counters[Self.packetsIndex(reason)] > 0 { counts[reason] = counters[Self.packetsIndex(reason)] }
        return counts
    }

    package func add(_ classification: Classification, header: PacketHeader? = nil, length: Int = 0) {
        add(classification.reason, header: header, length: length)
    }

    /// Counts one packet with this reason.
    package func add(_ reason: Reason, header: PacketHeader? = nil, length: Int = 0) {
        add(reason, conversation: header.map(conversation(of:)) ?? -1, length: length)
    }

    /// Counts one packet with this reason in conversation `number` (from ``conversation(of:)``;
    /// -1 for none).
    @inline(__always)
    package func add(_ reason: Reason, conversation number: Int32, length: Int) {
        counters[0] += 1
        counters[1] += length
        counters[Self.packetsIndex(reason)] += 1
        counters[Self.bytesIndex(reason)] += length
        guard number >= 0 else { return }
        let index = Int(number)
        if conversations[index].reason == nil { conversations[index].reason = reason }
        conversations[index].packets += 1
        conversations[index].bytes += length
    }

    /// Adds another summary's counts (a worker's, over packets this one has not counted). A
    /// conversation both saw keeps this one's first reason.
    package func merge(_ other: Summary) {
        for index in 0..<2 + 2 * Self.reasonCount { counters[index] += other.counters[index] }
        for index in 0..<other.conversationNumbers.count {
            let theirs = other.conversations[index]
            let number = conversation(theirs.key)
            guard number >= 0 else { continue }
            let index = Int(number)
            if conversations[index].reason == nil { conversations[index].reason = theirs.reason }
            conversations[index].packets += theirs.packets
            conversations[index].bytes += theirs.bytes
        }
    }

    /// Packets counted with `reason`.
    public func packets(_ reason: Reason) -> Int { counters[Self.packetsIndex(reason)] }

    /// Bytes counted with `reason`.
    public func bytes(_ reason: Reason) -> Int { counters[Self.bytesIndex(reason)] }

    /// One conversation's totals: its two addresses (in order), protocol, packets, bytes and the
    /// reason of its first packet.
    public struct ConversationCount: Sendable {
        public var a: IPAddress
        public var b: IPAddress
        public var protocolNumber: UInt8
        public var packets: Int
        public var bytes: Int
        public var reason: Reason?
    }

    /// Every conversation that counted a packet, in the order first seen.
    public var conversationCounts: [ConversationCount] {
        (0..<conversationNumbers.count).compactMap { index in
            let value = conversations[index]
            guard value.packets > 0 else { return nil }
            let (a, b) = value.key.addresses
            return ConversationCount(a: a, b: b, protocolNumber: UInt8(truncatingIfNeeded: value.key.tag), packets: value.packets, bytes: value.bytes, reason: value.reason)
        }
    }
}
