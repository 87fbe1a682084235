import PathClassifier
import PathCore
import ScenarioFormat
import Testing

/// Several accounts in one topology (R5.12, R9.4): security-group references across accounts
/// over peering.
@Suite("Several accounts")
struct AccountTests {
    /// Account A's VPC (10.1.0.0/16, host `a1` in group `sg-a`) peered with account B's (10.2.0.0/16,
    /// host `b1` admitting `sg-a`); `regionB` is B's Region.
    static func yaml(regionB: String = "us-east-1") -> String {
        """
        version: 1
        accounts:
          alpha: {id: "111111111111"}
          beta: {id: "222222222222"}
        vpcs:
          va: {account: alpha, cidrs: [10.1.0.0/16]}
          vb: {account: beta, region: \(regionB), cidrs: [10.2.0.0/16]}
        subnets:
          A: {vpc: va, cidr: 10.1.1.0/24}
          B: {vpc: vb, az: \(regionB)a, cidr: 10.2.1.0/24}
        peering-connections:
          pcx-ab: {requester: va, accepter: vb, status: active}
        route-tables:
          rt-a: {vpc: va, subnets: [A], routes: [{destination: 10.2.0.0/16, target: pcx-ab}]}
          rt-b: {vpc: vb, subnets: [B], routes: [{destination: 10.1.0.0/16, target: pcx-ab}]}
        security-groups:
          sg-a: {vpc: va, ingress: []}
          sg-b: {vpc: vb, ingress: [{protocol: tcp, ports: 5432, source: sg-a}]}
        instances:
          a1: {subnet: A, private-ip: 10.1.1.10, security-groups: [sg-a]}
          b1: {subnet: B, private-ip: 10.2.1.20, security-groups: [sg-b]}
        """
    }

    static func reason(_ yaml: String) throws -> Reason {
        let topology = try ScenarioLoader.load(yaml, file: "accounts.yaml").0
        #expect(topology.vpcs.map(\.account) == ["111111111111", "222222222222"])
        let flow = try NameResolver(topology: topology).resolve(FlowRequest(from: "a1", to: "b1", protocolNumber: .tcp, port: 5432), ordinal: 0)
        return Classifier(topology: topology).classifyFlow(flow.header, from: flow.source).reason
    }

    @Test("R9.4: a group of another account is referenced across a same-Region peering; across Regions it is not")
    func referencesAcrossAccounts() throws {
        #expect(try Self.reason(Self.yaml()) == .peering)
        #expect(try Self.reason(Self.yaml(regionB: "eu-west-1")) == .securityGroupIngress)
    }

    @Test("a VPC's account is an ID or the name of an account of the scenario")
    func accountNames() throws {
        let wrong = Self.yaml().replacingOccurrences(of: "account: beta", with: "account: gamma")
        #expect(throws: (any Error).self) { try ScenarioLoader.load(wrong, file: "accounts.yaml") }
    }
}
