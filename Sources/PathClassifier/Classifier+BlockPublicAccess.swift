import PathCore
import VPCTopology

/// VPC Block Public Access (R7.8).
extension Classifier {
    /// The direction of traffic at an internet or egress-only gateway.
    enum GatewayTraffic {
        case egress(viaNAT: Bool)
        case egressOnly
        case inbound
    }

    /// Whether BPA blocks `traffic` for `subnet`: the subnet's exclusion, else the VPC's, decide
    /// before the Region's mode.
    func blockedByBPA(_ traffic: GatewayTraffic, subnet: SubnetIndex) -> Bool {
        let vpc = topology[topology[subnet].vpc]
        guard vpc.blockPublicAccess != .off else { return false }
        switch topology[subnet].blockPublicAccessExclusion ?? vpc.blockPublicAccessExclusion {
        case .allowBidirectional?: return false
        case .allowEgress?: if case .inbound = traffic { return true } else { return false }
        case nil: break
        }
        switch (vpc.blockPublicAccess, traffic) {
        case (.blockBidirectional, _): return true
        case (.blockIngress, .inbound), (.blockIngress, .egress(viaNAT: false)): return true
        default: return false
        }
    }

    /// Records the refusal when BPA blocks; `true` when the packet may pass.
    func passesBPA(_ walk: inout Walk, _ traffic: GatewayTraffic, subnet: SubnetIndex, kind: HopKind, gateway: ResourceLabel) -> Bool {
        guard blockedByBPA(traffic, subnet: subnet) else { return true }
        let mode = topology[topology[subnet].vpc].blockPublicAccess.rawValue
        walk.hop(kind, gateway, "VPC Block Public Access (\(mode)) blocks this traffic (R7.8)", passed: false)
        return false
    }
}
