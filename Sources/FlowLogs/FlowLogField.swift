/// A field of a VPC Flow Log record, by the name a log format gives it (`${srcaddr}`), with the
/// version of the record format that introduced it (AWS, "Flow log records", available fields).
public enum FlowLogField: String, CaseIterable, Sendable, Hashable {
    // Version 2: the default format, in its order.
    case version
    case accountID = "account-id"
    case interfaceID = "interface-id"
    case sourceAddress = "srcaddr"
    case destinationAddress = "dstaddr"
    case sourcePort = "srcport"
    case destinationPort = "dstport"
    case protocolNumber = "protocol"
    case packets
    case bytes
    case start
    case end
    case action
    case logStatus = "log-status"
    // Version 3.
    case vpcID = "vpc-id"
    case subnetID = "subnet-id"
    case instanceID = "instance-id"
    case tcpFlags = "tcp-flags"
    case type
    case packetSourceAddress = "pkt-srcaddr"
    case packetDestinationAddress = "pkt-dstaddr"
    // Version 4.
    case region
    case availabilityZoneID = "az-id"
    case sublocationType = "sublocation-type"
    case sublocationID = "sublocation-id"
    // Version 5.
    case packetSourceAWSService = "pkt-src-aws-service"
    case packetDestinationAWSService = "pkt-dst-aws-service"
    case flowDirection = "flow-direction"
    case trafficPath = "traffic-path"
    // Version 7: Amazon ECS.
    case ecsClusterARN = "ecs-cluster-arn"
    case ecsClusterName = "ecs-cluster-name"
    case ecsContainerInstanceARN = "ecs-container-instance-arn"
    case ecsContainerInstanceID = "ecs-container-instance-id"
    case ecsContainerID = "ecs-container-id"
    case ecsSecondContainerID = "ecs-second-container-id"
    case ecsServiceName = "ecs-service-name"
    case ecsTaskDefinitionARN = "ecs-task-definition-arn"
    case ecsTaskARN = "ecs-task-arn"
    case ecsTaskID = "ecs-task-id"
    // Version 8.
    case rejectReason = "reject-reason"

    /// The record format version that introduced the field.
    public var version: Int {
        switch self {
        case .version, .accountID, .interfaceID, .sourceAddress, .destinationAddress, .sourcePort, .destinationPort,
            .protocolNumber, .packets, .bytes, .start, .end, .action, .logStatus:
            return 2
        case .vpcID, .subnetID, .instanceID, .tcpFlags, .type, .packetSourceAddress, .packetDestinationAddress: return 3
        case .region, .availabilityZoneID, .sublocationType, .sublocationID: return 4
        case .packetSourceAWSService, .packetDestinationAWSService, .flowDirection, .trafficPath: return 5
        case .ecsClusterARN, .ecsClusterName, .ecsContainerInstanceARN, .ecsContainerInstanceID, .ecsContainerID,
            .ecsSecondContainerID, .ecsServiceName, .ecsTaskDefinitionARN, .ecsTaskARN, .ecsTaskID:
            return 7
        case .rejectReason: return 8
        }
    }
}
