import ArgumentParser
import EC2Snapshot
import Foundation
import PathClassifier
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

    /// Loads the topology, printing warnings; exits 65 with every diagnostic on errors.
    func load() throws -> Topology {
        try loadTopology(topology, ipRanges: ipRanges)
    }
}

/// Loads a scenario file or snapshot folder (and ip-ranges.json), printing warnings; exits 65
/// with every diagnostic on errors.
func loadTopology(_ path: String, ipRanges: String? = nil) throws -> Topology {
    var topology: Topology
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
        do {
            let (loaded, warnings) = try SnapshotImporter.load(path)
            report(warnings)
            topology = loaded
        } catch {
            report(error.diagnostics)
            throw ExitStatus.badInput
        }
    } else {
        let text = try readText(path)
        do {
            let (loaded, warnings) = try ScenarioLoader.load(text, file: path)
            report(warnings)
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
            report(warnings)
            topology.serviceRanges += ranges
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

/// Resolves every flow of a file against a topology, or exits 65 naming each flow that fails.
func resolveFlows(_ flows: [FlowRequest], file: String, topology: Topology) throws -> [ResolvedFlow] {
    let resolver = NameResolver(topology: topology)
    var resolved: [ResolvedFlow] = []
    var failures = 0
    for (index, flow) in flows.enumerated() {
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
