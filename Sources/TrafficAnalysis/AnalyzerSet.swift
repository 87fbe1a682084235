import CaptureReplay
import Synchronization
import VPCTopology

/// The analyzers of one replay, one per worker (a replay makes its line format once per worker),
/// added up into one report when the replay ends.
public final class AnalyzerSet: Sendable {
    let topology: Topology
    private let analyzers = Mutex<[TrafficAnalyzer]>([])

    public init(topology: Topology) { self.topology = topology }

    /// Lines that write nothing and count every record into a new analyzer per worker.
    public func lines() -> Replayer.Lines {
        Replayer.Lines(
            format: { [self] in
                let analyzer = TrafficAnalyzer(topology: topology)
                analyzers.withLock { $0.append(analyzer) }
                return { packet, _ in analyzer.add(packet) }
            }, write: { _ in })
    }

    /// The workers' reports added up.
    public func report() -> TrafficReport {
        analyzers.withLock { analyzers in
            var report = TrafficReport()
            for analyzer in analyzers { report += analyzer.report }
            return report
        }
    }
}
