import CaptureReplay
import EC2Snapshot
import Foundation
import PacketSources
import PathClassifier
import PathReporters
import Testing
import VPCTopology
import _PacketPathTestSupport

/// Fixtures of this target, and the seed-after snapshot committed with the importer's tests.
enum Fixture {
    static func path(_ name: String) throws -> String {
        try #require(Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures")).path
    }

    static var seedAfterSnapshot: String {
        Corpus.packageRoot.appendingPathComponent("Tests/EC2SnapshotTests/Fixtures/seed-after").path
    }

    static func topology(_ folder: String) throws -> Topology { try SnapshotImporter.load(folder).0 }

    /// Every record of a replay, in order, and the damage if any.
    static func replay(_ capture: String, topology: Topology, vxlan: Bool = true) -> (records: [PacketRecord], error: CaptureError?) {
        var records: [PacketRecord] = []
        do {
            try Replayer(topology: topology, jobs: 1, decapsulatesVXLAN: vxlan).replay(capture, into: Summary(), frames: { frame, header, classification in
                records.append(Replayer.record(frame, header: header, classification: classification))
            })
            return (records, nil)
        } catch {
            return (records, error as? CaptureError ?? CaptureError(file: capture, offset: nil, framesRead: records.count, message: "\(error)"))
        }
    }

    /// Checks every labelled frame of `capture` against `labels`; returns the number checked.
    @discardableResult
    static func check(_ capture: String, labels: Corpus.FlowsFile, topology: Topology) -> Int {
        let (records, error) = replay(capture, topology: topology)
        #expect(error == nil, "\(capture): \(String(describing: error))")
        #expect(records.map(\.frame) == Array(1...max(1, records.count)).prefix(records.count).map { $0 }, "frames in order, each once")
        var checked = 0
        for flow in labels.flows {
            let accepted = Corpus.acceptedVerdictNames(flow).compactMap(Verdict.init(rawValue:))
            for frame in flow.frames ?? [] {
                guard frame >= 1, frame <= records.count else {
                    Issue.record("\(capture): frame \(frame) missing (only \(records.count))")
                    continue
                }
                let record = records[frame - 1]
                #expect(
                    accepted.contains(record.classification.verdict),
                    "\((capture as NSString).lastPathComponent) frame \(frame) \(flow.src) → \(flow.dst) \(flow.proto)/\(flow.dport ?? -1): expected \(flow.expected_detail), got \(record.classification.verdict.rawValue)/\(record.classification.reason.rawValue)")
                checked += 1
            }
        }
        for frame in labels.non_routed_frames?.frames ?? [] where frame <= records.count {
            #expect(records[frame - 1].classification.reason == .linkLayer, "\(capture) frame \(frame) is link-local")
        }
        return checked
    }
}
