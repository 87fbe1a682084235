import Foundation
import JSONParsing
import VPCTopology

/// One JSON file of a snapshot folder, with what its path says about account and Region.
package struct SnapshotDocument: Sendable {
    /// The path as given on the command line joined with the file's relative path.
    package var file: String
    package var value: JSONValue
    /// From Batfish-style `ACCOUNT/REGION/` folders, when present.
    package var account: String?
    package var region: String?
}

/// Reads every `*.json` file below a folder, in path order.
package enum SnapshotFolder {
    /// Files that are not AWS output (the corpus's own notes) and are skipped.
    static let ignoredNames: Set<String> = ["_scenario.json", "_fixups.json", "index.json"]

    /// Reads and parses every JSON file below `path`; malformed files become error diagnostics with
    /// line and column, unreadable ones errors naming the file.
    package static func read(_ path: String) -> (documents: [SnapshotDocument], diagnostics: [Diagnostic]) {
        var documents: [SnapshotDocument] = []
        var diagnostics: [Diagnostic] = []
        guard let enumerator = FileManager.default.enumerator(atPath: path) else {
            return ([], [Diagnostic(severity: .error, file: path, line: nil, column: nil, path: "", message: "cannot list the folder")])
        }
        var relativePaths: [String] = []
        while let next = enumerator.nextObject() as? String {
            if next.hasSuffix(".json"), !ignoredNames.contains((next as NSString).lastPathComponent) { relativePaths.append(next) }
        }
        for relative in relativePaths.sorted() {
            let file = (path as NSString).appendingPathComponent(relative)
            guard let bytes = readFileBytes(file) else {
                diagnostics.append(Diagnostic(severity: .error, file: file, line: nil, column: nil, path: "", message: "cannot read the file"))
                continue
            }
            do {
                documents.append(try parse(bytes, file: file, relative: relative))
            } catch {
                diagnostics += error.diagnostics
            }
        }
        if documents.isEmpty && diagnostics.isEmpty {
            diagnostics.append(Diagnostic(severity: .error, file: path, line: nil, column: nil, path: "", message: "no .json files in the folder"))
        }
        return (documents, diagnostics)
    }

    /// One file's JSON as a document (account and Region from the `ACCOUNT/REGION/` folders of
    /// `relative`).
    /// - Throws: the syntax error, with its line and column.
    static func parse(_ bytes: [UInt8], file: String, relative: String) throws(SnapshotError) -> SnapshotDocument {
        do {
            let value = try JSONParser.parse(bytes)
            let folders = relative.split(separator: "/").dropLast().map(String.init)
            return SnapshotDocument(file: file, value: value, account: folders.first { isAccount($0) }, region: folders.first { isRegion($0) })
        } catch {
            throw SnapshotError(diagnostics: [
                Diagnostic(severity: .error, file: file, line: error.line, column: error.column, path: "", message: "malformed JSON: \(error.message)")
            ])
        }
    }

    /// A 12-digit AWS account ID.
    static func isAccount(_ name: String) -> Bool { name.count == 12 && name.allSatisfy(\.isNumber) }

    /// A Region code such as `us-east-1` or `ap-southeast-2`.
    static func isRegion(_ name: String) -> Bool {
        let parts = name.split(separator: "-")
        return parts.count >= 3 && parts.last!.allSatisfy(\.isNumber) && parts[0].count == 2
    }
}
