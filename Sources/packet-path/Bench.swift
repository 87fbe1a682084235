import ArgumentParser
import Foundation
import LPMComparison
import PathCore

extension PacketPath {
    /// Benchmarks.
    struct Bench: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Measure packet-path's compiled structures on shared data (docs/performance.md).",
            subcommands: [LPM.self])
    }
}

extension PacketPath.Bench {
    /// `bench lpm`: the longest-prefix-match contract anyone can compare against.
    struct LPM: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "lpm",
            abstract: "Build the compiled LPM from a routes file and time lookups from a raw address file.",
            discussion: """
                Routes: text, one 'PREFIX NEXTHOP' per line, NEXTHOP 1-65535, '#' comments. Lookups: raw \
                big-endian addresses, 4 (IPv4) or 16 (IPv6) bytes each. Prints build time, structure bytes, \
                lookups per second (median of the repeats) and a checksum: the sum of the next hops found, a miss counting 0.
                """)

        @Option(help: ArgumentHelp("Routes file: 'PREFIX NEXTHOP' per line.", valueName: "file"))
        var routes: String

        @Option(help: ArgumentHelp("Lookups file: raw big-endian addresses.", valueName: "file"))
        var lookups: String

        @Option(help: "Address family, 4 or 6 (default: the routes' family).")
        var family: Int?

        @Option(name: .customLong("repeat"), help: "Timed passes over the lookups; the median is reported.")
        var repeats: Int = 5

        @Option(help: "Output format: text or json.")
        var format: Format = .text

        enum Format: String, ExpressibleByArgument, CaseIterable {
            case text
            case json
        }

        func validate() throws {
            if let family, family != 4 && family != 6 { throw ValidationError("'--family' is 4 or 6") }
            if repeats < 1 { throw ValidationError("'--repeat' is at least 1") }
        }

        func run() throws {
            let text = try readText(routes)
            var v4: [(prefix: IPv4Prefix, value: UInt16)] = []
            var v6: [(prefix: IPv6Prefix, value: UInt16)] = []
            var errors = 0
            var lineNumber = 0
            for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
                lineNumber += 1
                let content = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
                let fields = content.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
                if fields.isEmpty { continue }
                guard fields.count == 2, let hop = UInt16(fields[1]), hop >= 1 else {
                    errors += 1
                    if errors <= 10 { printError("\(routes):\(lineNumber): error: expected 'PREFIX NEXTHOP' with NEXTHOP 1-65535") }
                    continue
                }
                switch IPPrefix.parse(fields[0]) {
                case .success(.v4(let p)): v4.append((p, hop))
                case .success(.v6(let p)): v6.append((p, hop))
                case .failure(let failure):
                    errors += 1
                    if errors <= 10 { printError("\(routes):\(lineNumber): error: \(failure)") }
                }
            }
            if errors > 0 {
                printError("\(errors) error\(errors == 1 ? "" : "s")")
                throw ExitStatus.badInput
            }
            let chosen = family ?? (v6.count > v4.count ? 6 : 4)
            guard let data = FileManager.default.contents(atPath: lookups) else {
                printError("\(lookups): error: cannot read the file")
                throw ExitStatus.cannotRead
            }
            let width = chosen == 4 ? 4 : 16
            guard data.count % width == 0 else {
                printError("\(lookups): error: \(data.count) bytes is not a whole number of \(width)-byte addresses")
                throw ExitStatus.badInput
            }
            let result: (build: Double, bytes: Int, rate: Double, checksum: UInt64)
            if chosen == 6 {
                result = measure(v6, keys: decode(data, as: UInt128.self).map { IPv6Address($0) })
            } else if v4.count >= DIR24Threshold.prefixes {
                result = try measureDIR24(v4, keys: decode(data, as: UInt32.self).map { IPv4Address($0) })
            } else {
                result = measureDIR16(v4, keys: decode(data, as: UInt32.self).map { IPv4Address($0) })
            }
            switch format {
            case .json:
                try printOutput(
                    "{\"buildSeconds\":\(result.build),\"structureBytes\":\(result.bytes),\"lookupsPerSecond\":\(Int(result.rate)),\"checksum\":\(result.checksum)}")
            case .text:
                try printOutput(
                    """
                    family:        IPv\(chosen), \(chosen == 4 ? v4.count : v6.count) routes, \(data.count / width) lookups
                    build:         \(String(format: "%.3f", result.build)) s
                    structure:     \(result.bytes) bytes (\(String(format: "%.1f", Double(result.bytes) / 1_048_576)) MiB)
                    lookups/s:     \(String(format: "%.1f", result.rate / 1e6)) M (median of \(repeats))
                    checksum:      \(result.checksum)
                    """)
            }
        }

        /// Big-endian words from raw bytes.
        func decode<W: FixedWidthInteger>(_ data: Data, as: W.Type) -> [W] {
            let size = MemoryLayout<W>.size
            var out = [W](repeating: 0, count: data.count / size)
            data.withUnsafeBytes { raw in
                for i in 0..<out.count {
                    var word: W = 0
                    for b in 0..<size { word = word << 8 | W(raw[i * size + b]) }
                    out[i] = word
                }
            }
            return out
        }

        /// Large IPv4 tables use DIR-24-8, smaller ones DIR-16-8-8, IPv6 the Poptrie (docs/performance.md:
        /// chosen by measurement).
        enum DIR24Threshold { static let prefixes = 16_384 }

        func measureDIR24(_ routes: [(prefix: IPv4Prefix, value: UInt16)], keys: [IPv4Address]) throws
            -> (build: Double, bytes: Int, rate: Double, checksum: UInt64)
        {
            let clock = ContinuousClock()
            var table: DIR24Table?
            var failure: DIR24Table.Overflow?
            let build = clock.measure {
                do { table = try DIR24Table(routes) } catch { failure = error as? DIR24Table.Overflow ?? .tooManyGroups }
            }
            guard let table else {
                printError("error: the table does not fit DIR-24-8's 16-bit entries (\(failure!))")
                throw ExitStatus.badInput
            }
            return time(keys, build: build, bytes: table.structureBytes, single: table.lookup) { table.lookup($0, into: $1) }
        }

        func measureDIR16(_ routes: [(prefix: IPv4Prefix, value: UInt16)], keys: [IPv4Address])
            -> (build: Double, bytes: Int, rate: Double, checksum: UInt64)
        {
            var table: DIR16Table?
            let build = ContinuousClock().measure { table = DIR16Table(routes) }
            let built = table!
            return time(keys, build: build, bytes: built.structureBytes, single: built.lookup) { built.lookup($0, into: $1) }
        }

        func measure<A: IntegerAddress>(_ routes: [(prefix: CIDR<A>, value: UInt16)], keys: [A])
            -> (build: Double, bytes: Int, rate: Double, checksum: UInt64)
        {
            let clock = ContinuousClock()
            var table: Poptrie<A>?
            let build = clock.measure { table = Poptrie(routes) }
            let trie = table!
            return time(keys, build: build, bytes: trie.structureBytes, single: trie.lookup) { trie.lookup($0, into: $1) }
        }

        /// A warm-up pass of single lookups gives the checksum; each timed pass runs the batch lookup
        /// and must agree with it.
        func time<K>(
            _ keys: [K], build: Duration, bytes: Int, single: (K) -> UInt16,
            batch: (UnsafeBufferPointer<K>, UnsafeMutableBufferPointer<UInt16>) -> Void
        ) -> (build: Double, bytes: Int, rate: Double, checksum: UInt64) {
            let clock = ContinuousClock()
            var checksum: UInt64 = 0
            for key in keys { checksum &+= UInt64(single(key)) }
            var rates: [Double] = []
            var values = [UInt16](repeating: 0, count: keys.count)
            for _ in 0..<repeats {
                let elapsed = clock.measure {
                    keys.withUnsafeBufferPointer { buffer in values.withUnsafeMutableBufferPointer { batch(buffer, $0) } }
                }
                let sum = values.reduce(UInt64(0)) { $0 &+ UInt64($1) }
                precondition(sum == checksum, "batched lookups disagree with single lookups")
                rates.append(Double(keys.count) / seconds(elapsed))
            }
            rates.sort()
            return (seconds(build), bytes, rates[rates.count / 2], checksum)
        }

        func seconds(_ duration: Duration) -> Double {
            Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        }
    }
}
