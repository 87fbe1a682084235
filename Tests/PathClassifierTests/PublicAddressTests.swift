import PathClassifier
import PathCore
import Testing

/// §19.6: traffic addressed to public IPs.
@Suite("§19.6 public addresses")
struct PublicAddressTests {
    /// `p1` in the public subnet with public IP 54.0.0.20, behind a security group of `ingress`.
    static func lab(ingress: String) -> Lab {
        var lab = Lab()
        lab.extraSecurityGroups = """
            sg-p:
              vpc: lab
              ingress:
                \(ingress)
            """
        lab.extraInstances = "p1: {subnet: P, private-ip: 10.0.0.20, public-ip: 54.0.0.20, security-groups: [sg-p]}"
        return lab
    }

    @Test("R19.6: to another instance's public IP: out through the internet gateway and back in, judged against the sender's public address")
    func hairpin() throws {
        let allowed = try Self.lab(ingress: "- {protocol: tcp, ports: 443, source: 54.0.0.10/32}").flow(from: "a1", to: "54.0.0.20")
        #expect(allowed.request.reason == .igwHairpin, "\(allowed.request.text)")
        #expect(allowed.request.hops.contains { $0.kind == .internetGateway && $0.detail.contains("back in from the internet as 10.0.0.20, from 54.0.0.10") })
        #expect(allowed.reason == .igwHairpin, "the reply hairpins back: \(allowed.reply?.text ?? "")")
        // The private range does not match the public source.
        let privateRule = try Self.lab(ingress: "- {protocol: tcp, ports: 443, source: 10.0.0.0/16}").flow(from: "a1", to: "54.0.0.20")
        #expect(privateRule.reason == .securityGroupIngress)
        // Nor does a reference to the sender's group (R9.4).
        let reference = try Self.lab(ingress: "- {protocol: tcp, ports: 443, source: sg-a}").flow(from: "a1", to: "54.0.0.20")
        #expect(reference.reason == .securityGroupIngress)
        // Without a public address the sender cannot get out in the first place.
        #expect(try Self.lab(ingress: "- {protocol: all, source: 0.0.0.0/0}").flow(from: "a2", to: "54.0.0.20").reason == .igwNoPublicIP)
    }

    @Test("R19.6, R8.1: a sender behind a NAT gateway hairpins through it: the destination judges the NAT gateway's public address, and the reply comes back through it")
    func hairpinThroughNAT() throws {
        var lab = Self.lab(ingress: "- {protocol: tcp, ports: 443, source: 3.0.0.1/32}")
        lab.bRoutes = "- {destination: 0.0.0.0/0, target: nat-1}"
        let flow = try lab.flow(from: "b1", to: "54.0.0.20")
        #expect(flow.request.reason == .igwHairpin, "\(flow.request.text)")
        #expect(flow.request.hops.contains { $0.kind == .natGateway })
        #expect(flow.reason == .igwHairpin, "the reply returns through the NAT gateway: \(flow.reply?.text ?? "")")
        // The sender's private address is not what the destination sees.
        var direct = Self.lab(ingress: "- {protocol: tcp, ports: 443, source: 10.0.2.5/32}")
        direct.bRoutes = lab.bRoutes
        #expect(try direct.flow(from: "b1", to: "54.0.0.20").reason == .securityGroupIngress)
    }

    @Test("R19.6: from the internet a private destination is dropped at the edge and an unknown public one is no such host; a name is its public address")
    func fromTheInternet() throws {
        let lab = Lab()
        let privateTarget = try lab.flow(from: "198.51.100.9", to: "10.0.1.10", port: 22)
        #expect(privateTarget.reason == .igwNotPublicTarget)
        #expect(privateTarget.request.hops.last?.detail.contains("private address") == true)
        #expect(try lab.flow(from: "198.51.100.9", to: "54.9.9.9", port: 22).reason == .noSuchHost)
        #expect(try lab.flow(from: "198.51.100.9", to: "54.0.0.10", port: 22).reason == .igwInbound)
        #expect(try lab.flow(from: "198.51.100.9", to: "a1", port: 22).reason == .igwInbound, "a1's name answers its public address")
        #expect(try lab.flow(from: "198.51.100.9", to: "a2", port: 22).reason == .igwNotPublicTarget, "a2 has only a private address")
    }
}
