import PathCore

/// A record line that does not fit its format: which field, where, and why. The rest of the log
/// is read on (a malformed line is reported, never fatal).
public struct FlowLogLineError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The field at fault, if one is.
    public var field: FlowLogField?
    /// Its 1-based position in the record, if one is.
    public var position: Int?
    public var message: String

    public var description: String {
        guard let field, let position else { return message }
        return "field \(position) (\(field.rawValue)): \(message)"
    }
}

extension FlowLogFormat {
    /// Parses one record line: space-separated values in the format's order, `-` for none.
    public func parse(_ line: some StringProtocol) -> Result<FlowLogRecord, FlowLogLineError> {
        var line = String(line)
        return line.withUTF8 { parse(utf8: $0) }
    }

    /// Parses one record line from its UTF-8 bytes. Fields are found by scanning for spaces and
    /// read from the bytes in place: no `Substring` or array per line, and no new `String` for a
    /// text field (an ID, a name) that repeats the previous record's, which `recent` keeps.
    public func parse(utf8 line: UnsafeBufferPointer<UInt8>, recent: inout RecentText) -> Result<FlowLogRecord, FlowLogLineError> {
        let space = UInt8(ascii: " ")
        var record = FlowLogRecord()
        var i = 0
        for (index, field) in fields.enumerated() {
            while i < line.count && line[i] == space { i += 1 }
            guard i < line.count else { return .failure(countError(line)) }
            let start = i
            while i < line.count && line[i] != space { i += 1 }
            let text = UnsafeBufferPointer(rebasing: line[start..<i])
            if text.count == 1 && text[0] == UInt8(ascii: "-") { continue }
            if let problem = Self.assign(text, to: field, in: &record, recent: &recent, slot: index) {
                // A line with the wrong number of fields is reported as that, whatever field fails first.
                let error = countError(line)
                return .failure(error.message.isEmpty ? FlowLogLineError(field: field, position: index + 1, message: problem) : error)
            }
        }
        while i < line.count && line[i] == space { i += 1 }
        guard i == line.count else { return .failure(countError(line)) }
        return .success(record)
    }

    /// Parses one record line from its UTF-8 bytes (no text kept between lines).
    public func parse(utf8 line: UnsafeBufferPointer<UInt8>) -> Result<FlowLogRecord, FlowLogLineError> {
        var recent = RecentText()
        return parse(utf8: line, recent: &recent)
    }

    /// `N fields, the format has M` when the line's count is not the format's; an empty message when it is.
    func countError(_ line: UnsafeBufferPointer<UInt8>) -> FlowLogLineError {
        var count = 0
        var inValue = false
        for byte in line {
            if byte == UInt8(ascii: " ") {
                inValue = false
            } else if !inValue {
                inValue = true
                count += 1
            }
        }
        guard count != fields.count else { return FlowLogLineError(message: "") }
        return FlowLogLineError(message: "\(count) field\(count == 1 ? "" : "s"), the format has \(fields.count)")
    }

    /// A decimal integer of type `T` from its digits (an optional sign first, as `T(_:radix:)`
    /// takes); `nil` when not one or out of range.
    static func decimal<T: FixedWidthInteger>(_ text: UnsafeBufferPointer<UInt8>, as type: T.Type) -> T? {
        var i = 0
        var negative = false
        if let first = text.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            i = 1
        }
        guard i < text.count else { return nil }
        var value: T = 0
        while i < text.count {
            let digit = text[i] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            let (shifted, overflow) = value.multipliedReportingOverflow(by: 10)
            // Negative values are built downwards, so that T.min is reachable.
            let (next, carry) = negative ? shifted.subtractingReportingOverflow(T(digit)) : shifted.addingReportingOverflow(T(digit))
            guard !overflow && !carry else { return nil }
            value = next
            i += 1
        }
        return value
    }

    /// Sets `field` of `record` from `text`; returns what is wrong with `text`, if anything.
    static func assign(
        _ text: UnsafeBufferPointer<UInt8>, to field: FlowLogField, in record: inout FlowLogRecord, recent: inout RecentText, slot: Int
    ) -> String? {
        var string: String { recent.string(text, slot: slot) }
        func number<T: FixedWidthInteger>(_ type: T.Type, _ what: String) -> (T?, String?) {
            guard let value = decimal(text, as: T.self) else { return (nil, "'\(string)' is not \(what)") }
            return (value, nil)
        }
        func address() -> (IPAddress?, String?) {
            guard let value = IPAddress(utf8: text) else { return (nil, "'\(string)' is not an IP address") }
            return (value, nil)
        }
        var problem: String?
        switch field {
        case .version: (record.version, problem) = number(Int.self, "a version number")
        case .accountID: record.accountID = string
        case .interfaceID: record.interfaceID = string
        case .sourceAddress: (record.sourceAddress, problem) = address()
        case .destinationAddress: (record.destinationAddress, problem) = address()
        case .sourcePort: (record.sourcePort, problem) = number(UInt16.self, "a port (0 to 65535)")
        case .destinationPort: (record.destinationPort, problem) = number(UInt16.self, "a port (0 to 65535)")
        case .protocolNumber:
            let (value, error) = number(UInt8.self, "an IANA protocol number (0 to 255)")
            record.protocolNumber = value.map(IPProtocolNumber.init(rawValue:))
            problem = error
        case .packets: (record.packets, problem) = number(UInt64.self, "a packet count")
        case .bytes: (record.bytes, problem) = number(UInt64.self, "a byte count")
        case .start: (record.start, problem) = number(Int64.self, "a time in seconds")
        case .end: (record.end, problem) = number(Int64.self, "a time in seconds")
        case .action:
            record.action = FlowLogRecord.Action(rawValue: string)
            if record.action == nil { problem = "'\(string)' is not ACCEPT or REJECT" }
        case .logStatus:
            record.logStatus = FlowLogRecord.LogStatus(rawValue: string)
            if record.logStatus == nil { problem = "'\(string)' is not OK, NODATA or SKIPDATA" }
        case .vpcID: record.vpcID = string
        case .subnetID: record.subnetID = string
        case .instanceID: record.instanceID = string
        case .tcpFlags: (record.tcpFlags, problem) = number(UInt16.self, "a TCP flags value")
        case .type: record.type = string
        case .packetSourceAddress: (record.packetSourceAddress, problem) = address()
        case .packetDestinationAddress: (record.packetDestinationAddress, problem) = address()
        case .region: record.region = string
        case .availabilityZoneID: record.availabilityZoneID = string
        case .sublocationType: record.sublocationType = string
        case .sublocationID: record.sublocationID = string
        case .packetSourceAWSService: record.packetSourceAWSService = string
        case .packetDestinationAWSService: record.packetDestinationAWSService = string
        case .flowDirection:
            record.flowDirection = FlowLogRecord.Direction(rawValue: string)
            if record.flowDirection == nil { problem = "'\(string)' is not ingress or egress" }
        case .trafficPath:
            record.trafficPath = decimal(text, as: Int.self).flatMap(FlowLogRecord.TrafficPath.init(rawValue:))
            if record.trafficPath == nil { problem = "'\(string)' is not a traffic path (1 to 8)" }
        case .ecsClusterARN, .ecsClusterName, .ecsContainerInstanceARN, .ecsContainerInstanceID, .ecsContainerID,
            .ecsSecondContainerID, .ecsServiceName, .ecsTaskDefinitionARN, .ecsTaskARN, .ecsTaskID:
            record.ecs[field] = string
        case .rejectReason: record.rejectReason = string
        }
        return problem
    }
}

/// The text fields of the last record read, by their position in the format: a log repeats its
/// account, VPC, subnet and interface IDs record after record, and a repeat is not made again.
public struct RecentText: Sendable {
    private var bytes: [[UInt8]] = []
    private var strings: [String] = []

    public init() {}

    /// The string of `text`, the previous one at `slot` when the bytes are the same.
    mutating func string(_ text: UnsafeBufferPointer<UInt8>, slot: Int) -> String {
        if slot < bytes.count, bytes[slot].withUnsafeBufferPointer({ $0.elementsEqual(text) }) { return strings[slot] }
        let string = String(utf8: text)
        while bytes.count <= slot {
            bytes.append([])
            strings.append("")
        }
        bytes[slot] = Array(text)
        strings[slot] = string
        return string
    }
}

extension String {
    /// A string of UTF-8 bytes (invalid sequences repaired), without the runtime cast that the
    /// generic `String(decoding:as:)` makes on every call.
    init(utf8 bytes: UnsafeBufferPointer<UInt8>) {
        self.init(unsafeUninitializedCapacity: bytes.count) { buffer in
            _ = buffer.initialize(from: bytes)
            return bytes.count
        }
    }
}
