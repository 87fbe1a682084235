/// The state AWS reports for a resource (`available`, `pendingAcceptance`, `running`, `active`, …):
/// an open set, since AWS adds states and a snapshot may hold any, with names for the ones the walk
/// decides by.
public struct ResourceState: RawRepresentable, Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { rawValue = value }

    public var description: String { rawValue }

    /// Endpoints, NAT gateways, transit gateway attachments, VPN connections: forwarding.
    public static let available: ResourceState = "available"
    /// Peering connections: carrying traffic (R12.1).
    public static let active: ResourceState = "active"
    /// Instances (R16.11).
    public static let running: ResourceState = "running"
}
