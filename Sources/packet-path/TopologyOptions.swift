import ArgumentParser
import CaptureReplay
import EC2Snapshot
import Foundation
import PathClassifier
import PathCore
import ScenarioFormat
import VPCTopology

/// `--topology FILE|DIR` and `--ip-ranges FILE`, shared by every command that needs a network.
struct TopologyOptions: ParsableArguments {
    /// The network: a YAML scenario, or a folder of `aws ec2 describe-*` JSON.
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The network: a YAML scenario file (docs/scenario-format.md) or a folder of aws ec2 describe-* JSON (docs/aws-snapshots.md).",
            valueName: "file|dir"))
    var topology: String

    /// AWS's ip-ranges.json, to name the AWS service of public destinations.
    @Option(
        name: .customLong("ip-ranges"),
        help: ArgumentHelp("AWS's ip-ranges.json: names the AWS service and Region of public destinations.", valueName: "file"))
    var ipRanges: String?

    /// Leave out the warnings about the input (errors are always printed).
    @Flag(name: [.customShort("q"), .long], help: "Print no warnings about the topology (a large snapshot's expected ones); errors are printed all the same.")
    var quiet = false

    /// Loads the topology, printing warnings unless quiet; exits 65 with every diagnostic on errors.
    func load() throws -> Topology {
        try loadTopology(topology, ipRanges: ipRanges, quiet: quiet)
    }
}

/// Loads a scenario file or snapshot folder (and ip-ranges.json), printing warnings; exits 65
/// with every diagnostic on errors.
func loadTopology(_ path: String, ipRanges: String? = nil, quiet: Bool = false) throws -> Topology {
    var topology: Topology
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
        do {
            let (loaded, warnings) = try SnapshotImporter.load(path)
            if !quiet { report(warnings) }
            topology = loaded
        } catch {
            report(error.diagnostics)
            throw ExitStatus.badInput
        }
    } else {
        let text = try readText(path)
        do {
            let (loaded, warnings) = try ScenarioLoader.load(text, file: path)
            if !quiet { report(warnings) }
            topology = loaded
        } catch {
            report(error.diagnostics)
            throw ExitStatus.badInput
        }
    }
    if let ipRanges {
        guard FileManager.default.fileExists(atPath: ipRanges) else {
            printError("\(ipRanges): error: no such file")
            throw ExitStatus.cannotRead
        }
        do {
            let (ranges, warnings) = try IPRanges.load(ipRanges)
            if !quiet { report(warnings) }
            var builder = TopologyBuilder(topology)
            builder.serviceRanges += ranges
            topology = builder.build()
        } catch {
            report(error.diagnostics)
            throw ExitStatus.badInput
        }
    }
    return topology
}

/// Loads a flow file; exits 65 with every diagnostic on errors.
func loadFlows(_ path: String) throws -> [FlowRequest] {
    let text = try readText(path)
    do {
        return try FlowFileLoader.load(text, file: path)
    } catch {
        report(error.diagnostics)
        throw ExitStatus.badInput
    }
}

/// Resolves every flow of a file: from an interface, or from outside the topology (an address no
/// interface owns: the internet, or on premises behind a VPN, R19.2, R19.6). Exits 65 naming each
/// flow that does not resolve.
func syntheticFlows(_ flows: [FlowRequest], file: String, topology: Topology) throws -> [SyntheticFlow] {
    let resolver = NameResolver(topology: topology)
    var found = [SyntheticFlow?](repeating: nil, count: flows.count)
    var inside: [Int] = []
    for (index, flow) in flows.enumerated() {
        if let header = resolver.resolveInbound(flow, ordinal: index) {
            found[index] = SyntheticFlow(request: flow, header: header, source: nil)
        } else {
            inside.append(index)
        }
    }
    let resolved = try resolveFlows(inside.map { flows[$0] }, ordinals: inside, file: file, topology: topology)
    for (index, flow) in zip(inside, resolved) {
        found[index] = SyntheticFlow(request: flow.request, header: flow.header, source: flow.source)
    }
    return found.compactMap { $0 }
}

/// The flows of `file`, resolved against `topology` and judged (both ways unless `oneWay`, R19.7).
func judgeFlows(_ requests: [FlowRequest], file: String, topology: Topology, oneWay: Bool) throws -> [JudgedFlow] {
    Replayer(topology: topology, jobs: 1).judge(try syntheticFlows(requests, file: file, topology: topology), oneWay: oneWay)
}

/// Resolves every flow of a file against a topology, or exits 65 naming each flow that fails.
/// - Parameter ordinals: each flow's position in its file (default: its position here).
func resolveFlows(_ flows: [FlowRequest], ordinals: [Int]? = nil, file: String, topology: Topology) throws -> [ResolvedFlow] {
    let resolver = NameResolver(topology: topology)
    var resolved: [ResolvedFlow] = []
    var failures = 0
    for (position, flow) in flows.enumerated() {
        let index = ordinals?[position] ?? position
        do {
            resolved.append(try resolver.resolve(flow, ordinal: index))
        } catch {
            failures += 1
            printError("\(file): error: flows[\(index)]\(flow.name.map { " (\($0))" } ?? ""): \(error)")
        }
    }
    if failures > 0 { throw ExitStatus.badInput }
    return resolved
}
