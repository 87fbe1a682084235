import PathCore
import VPCTopology

/// Addresses with fixed AWS meaning (R1.10, R7.5, R13.1, R13.3).
enum SpecialAddresses {
    /// AWS services answered on the host itself, never routed.
    enum LinkLocalService: String {
        case dns = "Amazon Route 53 Resolver"
        case metadata = "instance metadata service (IMDS)"
        case timeSync = "Amazon Time Sync Service"
    }

    static let reservedIPv4 = IPv4Prefix(containing: IPv4Address(169, 254, 168, 0), length: 22)
    static let linkLocalIPv4 = IPv4Prefix(containing: IPv4Address(169, 254, 0, 0), length: 16)
    static let reservedIPv6 = IPv6Prefix(containing: IPv6Address(0xFD00_0EC2 << 96), length: 32)

    /// The AWS service at `address` for a sender in `vpc`: the Resolver at 169.254.169.253,
    /// fd00:ec2::253 and the VPC base + 2; IMDS at 169.254.169.254 and fd00:ec2::254; Time Sync at
    /// 169.254.169.123 and fd00:ec2::123.
    static func linkLocalService(_ address: IPAddress, in vpc: VPC) -> LinkLocalService? {
        switch address {
        case .v4(let a):
            if a == vpc.dnsServer { return .dns }
            guard reservedIPv4.contains(a) else { return nil }
            switch a.rawValue & 0xFFFF {
            case 0xA9FD: return .dns  // .169.253
            case 0xA9FE: return .metadata  // .169.254
            case 0xA97B: return .timeSync  // .169.123
            default: return nil
            }
        case .v6(let a):
            guard reservedIPv6.contains(a) else { return nil }
            switch a.rawValue {
            case reservedIPv6.network.rawValue | 0x253: return .dns
            case reservedIPv6.network.rawValue | 0x254: return .metadata
            case reservedIPv6.network.rawValue | 0x123: return .timeSync
            default: return nil
            }
        }
    }

    /// Link-local addresses that no route forwards (R1.10): 169.254.0.0/16 and fd00:ec2::/32
    /// apart from the services above.
    static func isUnroutableLinkLocal(_ address: IPAddress) -> Bool {
        switch address {
        case .v4(let a): return linkLocalIPv4.contains(a)
        case .v6(let a): return reservedIPv6.contains(a) || a.rawValue >> 118 == 0x3FA  // fe80::/10
        }
    }

    private static let privateIPv4: [IPv4Prefix] = [
        IPv4Prefix(containing: IPv4Address(10, 0, 0, 0), length: 8),
        IPv4Prefix(containing: IPv4Address(172, 16, 0, 0), length: 12),
        IPv4Prefix(containing: IPv4Address(192, 168, 0, 0), length: 16),
        IPv4Prefix(containing: IPv4Address(100, 64, 0, 0), length: 10),
    ]

    /// RFC 1918 and RFC 6598 space, which an internet gateway refuses (R7.5).
    static func isPrivateOrShared(_ address: IPAddress) -> Bool {
        guard case .v4(let a) = address else { return false }
        return privateIPv4.contains { $0.contains(a) }
    }
}
