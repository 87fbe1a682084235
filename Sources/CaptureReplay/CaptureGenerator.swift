import PacketSources
import PacketWire
import PathClassifier
import PathCore
import VPCTopology

/// Turns synthetic flows into the frames a capture at the sender's interface would hold: a TCP
/// handshake, data and FIN; UDP requests and answers; ICMP echo and reply. A flow the walk drops
/// shows only the sender's side (TCP retransmits its SYN), as on a real wire.
package struct CaptureGenerator {
    package let topology: Topology
    package var builder: FrameBuilder
    /// 2026-01-01T00:00:00Z: generated captures start here, one second per flow, 1 ms per frame.
    package static let epoch: Int64 = 1_767_225_600

    package init(topology: Topology, linkType: LinkType) {
        self.topology = topology
        self.builder = FrameBuilder(linkType: linkType)
    }

    /// A locally administered MAC for an interface (02:…), and 02:00:00:00:00:01 for the VPC router.
    func mac(_ interface: InterfaceIndex?) -> [UInt8] {
        guard let interface else { return [0x02, 0, 0, 0, 0, 0x01] }
        let n = UInt32(interface.rawValue + 16)
        return [0x02, 0, UInt8(n >> 24), UInt8(n >> 16 & 0xFF), UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF)]
    }

    /// Writes every flow's frames; returns the number of frames.
    /// - Throws: what the writer throws (a failed write ends the capture).
    @discardableResult
    package func generate(_ flows: [ResolvedFlow], into writer: PcapFileWriter) throws -> Int {
        let classifier = Classifier(topology: topology)
        for (index, flow) in flows.enumerated() {
            let delivered = classifier.classify(flow.header, from: flow.source).verdict != .dropped
            let local = topology[topology[flow.source].subnet].contains(flow.header.destination)
            let peer = local ? topology.addressOwners[flow.header.destination]?.first : nil
            let (sourceMAC, destinationMAC) = (mac(flow.source), local ? mac(peer) : mac(nil))
            var time = Self.epoch + Int64(index)
            var nanoseconds: UInt32 = 0
            func emit(_ packet: FrameBuilder.Packet, reply: Bool) throws {
                let frame = reply
                    ? builder.frame(packet, sourceMAC: destinationMAC, destinationMAC: sourceMAC)
                    : builder.frame(packet, sourceMAC: sourceMAC, destinationMAC: destinationMAC)
                try writer.write(frame, seconds: time, nanoseconds: nanoseconds)
                nanoseconds += 1_000_000
                if nanoseconds >= 1_000_000_000 {
                    nanoseconds = 0
                    time += 1
                }
            }
            for (packet, reply) in packets(of: flow, delivered: delivered) { try emit(packet, reply: reply) }
        }
        return writer.frames
    }

    /// The packets of one flow, each marked as a reply or not.
    func packets(of flow: ResolvedFlow, delivered: Bool) -> [(FrameBuilder.Packet, Bool)] {
        let h = flow.header
        var forward = FrameBuilder.Packet(source: h.source, destination: h.destination, protocolNumber: h.protocolNumber)
        forward.sourcePort = h.sourcePort ?? 0
        forward.destinationPort = h.destinationPort ?? 0
        var backward = FrameBuilder.Packet(source: h.destination, destination: h.source, protocolNumber: h.protocolNumber)
        backward.sourcePort = forward.destinationPort
        backward.destinationPort = forward.sourcePort
        let count = flow.request.packets
        var out: [(FrameBuilder.Packet, Bool)] = []
        switch h.protocolNumber {
        case .tcp:
            let (syn, ack, fin, psh): (UInt8, UInt8, UInt8, UInt8) = (0x02, 0x10, 0x01, 0x08)
            var client: UInt32 = 1000
            var server: UInt32 = 5000
            func segment(_ base: FrameBuilder.Packet, _ flags: UInt8, _ sequence: UInt32, _ acknowledgement: UInt32, _ payload: Int) -> FrameBuilder.Packet {
                var p = base
                p.tcpFlags = flags
                p.sequence = sequence
                p.acknowledgement = acknowledgement
                p.payload = [UInt8](repeating: 0x61, count: payload)
                return p
            }
            guard delivered else {
                for _ in 0..<3 { out.append((segment(forward, syn, client, 0, 0), false)) }  // retransmitted SYNs
                return out
            }
            out.append((segment(forward, syn, client, 0, 0), false))
            out.append((segment(backward, syn | ack, server, client + 1, 0), true))
            client += 1
            server += 1
            out.append((segment(forward, ack, client, server, 0), false))
            for _ in 0..<count {
                out.append((segment(forward, psh | ack, client, server, 100), false))
                client += 100
                out.append((segment(backward, ack, server, client, 0), true))
            }
            out.append((segment(forward, fin | ack, client, server, 0), false))
            out.append((segment(backward, fin | ack, server, client + 1, 0), true))
            out.append((segment(forward, ack, client + 1, server + 1, 0), false))
        case .udp:
            for i in 0..<count {
                var request = forward
                request.payload = [UInt8](repeating: 0x71, count: 40)
                request.identification = UInt16(truncatingIfNeeded: i)
                out.append((request, false))
                if delivered {
                    var answer = backward
                    answer.payload = [UInt8](repeating: 0x72, count: 80)
                    out.append((answer, true))
                }
            }
        case .icmp, .icmpv6:
            let v6 = h.protocolNumber == .icmpv6
            for i in 0..<count {
                var request = forward
                request.icmpType = h.icmpType ?? (v6 ? 128 : 8)
                request.icmpCode = h.icmpCode ?? 0
                request.identification = UInt16(truncatingIfNeeded: i)
                request.payload = [UInt8](repeating: 0x70, count: 56)
                out.append((request, false))
                if delivered && (request.icmpType == 8 || request.icmpType == 128) {
                    var reply = backward
                    reply.icmpType = v6 ? 129 : 0
                    reply.identification = request.identification
                    reply.payload = request.payload
                    out.append((reply, true))
                }
            }
        default:
            for _ in 0..<count { out.append((forward, false)) }
        }
        return out
    }
}
