import JSONParsing
import PathCore
import VPCTopology

/// A snapshot that could not be loaded: every error (and warning) found.
package struct SnapshotError: Error, Sendable, CustomStringConvertible {
    package var diagnostics: [Diagnostic]
    package var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}

/// Loads a folder of `aws ec2 describe-*` (and `aws lambda get-function-configuration`) JSON into a
/// ``Topology`` (aws-semantics.md §16). Files are recognised by their top-level key, not their
/// name. Missing pieces are warnings; packets that need them are dropped as insufficient data.
package enum SnapshotImporter {
    /// - Parameters:
    ///   - path: the snapshot folder.
    ///   - defaultRegion: the Region when neither a `REGION/` folder nor an Availability Zone says.
    /// - Returns: the topology and its warnings.
    /// - Throws: ``SnapshotError`` when a file is malformed or nothing usable was found.
    package static func load(_ path: String, defaultRegion: String = "us-east-1") throws(SnapshotError) -> (Topology, [Diagnostic]) {
        let (documents, readDiagnostics) = SnapshotFolder.read(path)
        return try build(documents, diagnostics: readDiagnostics, defaultRegion: defaultRegion) { readFileBytes($0) ?? [] }
    }

    /// Loads files held in memory, each named as a folder would name it (`describe-vpcs.json`,
    /// `123456789012/us-east-1/describe-subnets.json`); for tools that get the JSON elsewhere
    /// than from a folder, and for the fuzzers.
    package static func load(files: [(name: String, bytes: [UInt8])], defaultRegion: String = "us-east-1") throws(SnapshotError) -> (Topology, [Diagnostic]) {
        var documents: [SnapshotDocument] = []
        var diagnostics: [Diagnostic] = []
        for (name, bytes) in files {
            do {
                documents.append(try SnapshotFolder.parse(bytes, file: name, relative: name))
            } catch {
                diagnostics += error.diagnostics
            }
        }
        let byName = Dictionary(files.map { ($0.name, $0.bytes) }, uniquingKeysWith: { first, _ in first })
        return try build(documents, diagnostics: diagnostics, defaultRegion: defaultRegion) { byName[$0] ?? [] }
    }

    /// Builds the topology from parsed documents; `bytes` gives a file's text back to locate diagnostics.
    static func build(
        _ documents: [SnapshotDocument], diagnostics: [Diagnostic], defaultRegion: String, bytes: (String) -> [UInt8]
    ) throws(SnapshotError) -> (Topology, [Diagnostic]) {
        var builder = SnapshotBuilder(defaultRegion: defaultRegion)
        builder.diagnostics = diagnostics
        builder.gather(documents)
        builder.build()
        locate(&builder.diagnostics, bytes: bytes)
        if builder.diagnostics.contains(where: { $0.severity == .error }) {
            throw SnapshotError(diagnostics: builder.diagnostics)
        }
        return (builder.topology.build(), builder.diagnostics)
    }
}

/// Gives diagnostics that name a key path but no line the line and column of that path in their
/// file (`bytes` gives the file's text again: positions are looked up only for what is reported).
func locate(_ diagnostics: inout [Diagnostic], bytes: (String) -> [UInt8]) {
    var files: [String: [UInt8]] = [:]
    for i in diagnostics.indices where diagnostics[i].line == nil && !diagnostics[i].path.isEmpty {
        let file = diagnostics[i].file
        if files[file] == nil { files[file] = bytes(file) }
        guard let position = JSONParser.position(of: diagnostics[i].path, in: files[file]!) else { continue }
        diagnostics[i].line = position.line
        diagnostics[i].column = position.column
    }
}

/// One record of a describe output, with where it came from.
struct Record {
    var file: String
    var path: String
    var value: JSONValue
    var region: String?
    var account: String?

    subscript(key: String) -> JSONValue? { value[key] }
    func string(_ key: String) -> String? { value[key]?.string }
    /// The `Name` tag (`Tags`, or `TagSet` on interfaces).
    var name: String? {
        for tag in (value["Tags"] ?? value["TagSet"])?.items ?? [] where tag["Key"]?.string == "Name" {
            if let name = tag["Value"]?.string, !name.isEmpty { return name }
        }
        return nil
    }
    func label(_ idKey: String) -> ResourceLabel? { string(idKey).map { ResourceLabel(id: $0, name: name) } }
}
