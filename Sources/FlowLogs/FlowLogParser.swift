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
        // Split on the byte, not on Characters: grapheme breaking cost most of a record's parse.
        let line = Substring(line)
        let values = line.utf8.split(separator: 0x20, omittingEmptySubsequences: true).map { Substring($0) }
        guard values.count == fields.count else {
            return .failure(FlowLogLineError(message: "\(values.count) field\(values.count == 1 ? "" : "s"), the format has \(fields.count)"))
        }
        var record = FlowLogRecord()
        for (index, field) in fields.enumerated() {
            let text = values[index]
            guard text != "-" else { continue }
            if let problem = Self.assign(text, to: field, in: &record) {
                return .failure(FlowLogLineError(field: field, position: index + 1, message: problem))
            }
        }
        return .success(record)
    }

    /// Sets `field` of `record` from `text`; returns what is wrong with `text`, if anything.
    static func assign(_ text: some StringProtocol, to field: FlowLogField, in record: inout FlowLogRecord) -> String? {
        func number<T: FixedWidthInteger>(_ type: T.Type, _ what: String) -> (T?, String?) {
            guard let value = T(text, radix: 10) else { return (nil, "'\(text)' is not \(what)") }
            return (value, nil)
        }
        func address() -> (IPAddress?, String?) {
            guard let value = IPAddress(text) else { return (nil, "'\(text)' is not an IP address") }
            return (value, nil)
        }
        var problem: String?
        switch field {
        case .version: (record.version, problem) = number(Int.self, "a version number")
        case .accountID: record.accountID = String(text)
        case .interfaceID: record.interfaceID = String(text)
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
            record.action = FlowLogRecord.Action(rawValue: String(text))
            if record.action == nil { problem = "'\(text)' is not ACCEPT or REJECT" }
        case .logStatus:
            record.logStatus = FlowLogRecord.LogStatus(rawValue: String(text))
            if record.logStatus == nil { problem = "'\(text)' is not OK, NODATA or SKIPDATA" }
        case .vpcID: record.vpcID = String(text)
        case .subnetID: record.subnetID = String(text)
        case .instanceID: record.instanceID = String(text)
        case .tcpFlags: (record.tcpFlags, problem) = number(UInt16.self, "a TCP flags value")
        case .type: record.type = String(text)
        case .packetSourceAddress: (record.packetSourceAddress, problem) = address()
        case .packetDestinationAddress: (record.packetDestinationAddress, problem) = address()
        case .region: record.region = String(text)
        case .availabilityZoneID: record.availabilityZoneID = String(text)
        case .sublocationType: record.sublocationType = String(text)
        case .sublocationID: record.sublocationID = String(text)
        case .packetSourceAWSService: record.packetSourceAWSService = String(text)
        case .packetDestinationAWSService: record.packetDestinationAWSService = String(text)
        case .flowDirection:
            record.flowDirection = FlowLogRecord.Direction(rawValue: String(text))
            if record.flowDirection == nil { problem = "'\(text)' is not ingress or egress" }
        case .trafficPath:
            record.trafficPath = Int(text).flatMap(FlowLogRecord.TrafficPath.init(rawValue:))
            if record.trafficPath == nil { problem = "'\(text)' is not a traffic path (1 to 8)" }
        case .ecsClusterARN, .ecsClusterName, .ecsContainerInstanceARN, .ecsContainerInstanceID, .ecsContainerID,
            .ecsSecondContainerID, .ecsServiceName, .ecsTaskDefinitionARN, .ecsTaskARN, .ecsTaskID:
            record.ecs[field] = String(text)
        case .rejectReason: record.rejectReason = String(text)
        }
        return problem
    }
}
