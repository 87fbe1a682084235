/// Records, packets and bytes: what the counts of a replay add up. A captured frame is one record
/// and one packet; a flow log record counts the packets and bytes it logged; a synthetic flow's
/// packet is one record and one packet of no known size.
public struct TrafficCount: Sendable, Hashable {
    public var records = 0
    public var packets: UInt64 = 0
    public var bytes: UInt64 = 0

    public init(records: Int = 0, packets: UInt64 = 0, bytes: UInt64 = 0) {
        self.records = records
        self.packets = packets
        self.bytes = bytes
    }

    /// The count of one replayed record: a flow log record's packets and bytes, else one packet of
    /// its frame's length.
    public init(_ packet: PacketRecord) {
        if let observed = packet.observation {
            self.init(records: 1, packets: observed.packets ?? 0, bytes: observed.bytes ?? 0)
        } else {
            self.init(records: 1, packets: 1, bytes: UInt64(packet.length ?? 0))
        }
    }

    mutating func add(_ observation: FlowLogObservation) {
        records += 1
        packets += observation.packets ?? 0
        bytes += observation.bytes ?? 0
    }

    public static func + (a: TrafficCount, b: TrafficCount) -> TrafficCount {
        TrafficCount(records: a.records + b.records, packets: a.packets + b.packets, bytes: a.bytes + b.bytes)
    }

    public static func += (a: inout TrafficCount, b: TrafficCount) { a = a + b }
}
