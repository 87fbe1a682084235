#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a pcapng capture says besides its packets and that `--annotate` keeps: the first Section
/// Header Block's options (the capturing application, hardware, operating system, comments) and
/// each packet's comments (`opt_comment`), by frame number.
package struct PcapngMetadata: Sendable {
    /// Section Header options as (code, value), in file order.
    package var sectionOptions: [(code: UInt16, value: [UInt8])] = []
    package var comments: [Int: [String]] = [:]

    package init() {}

    /// The metadata of `path` (`-`: standard input; compressed files decompressed); empty for a
    /// classic pcap, which has none.
    /// - Throws: ``CaptureError`` for a file that cannot be read (its damage is the replay's to report).
    package static func read(_ path: String) throws(CaptureError) -> PcapngMetadata {
        var metadata = PcapngMetadata()
        // Told by the first bytes, so that a compressed classic pcap is not decompressed for nothing.
        guard CaptureReader.isPcapng(CaptureInput.peekMagic(path)) else { return metadata }
        let input = try CaptureInput.open(path)
        defer { input.close() }
        let reader = PcapngReader(path: path, file: input.file)
        var sections = 0
        func fail(_ message: String, _ at: Int?) -> CaptureError { CaptureError(file: path, offset: at, framesRead: 0, message: message) }
        // Damage after the metadata read so far leaves what was found: the replay reports it.
        _ = try? reader.forEach(
            skipping: Int.max,
            observing: { block, number, optionsStart in
                let options = try reader.options(block, from: optionsStart, fail: fail)
                if block.type == PcapngReader.BlockType.sectionHeader {
                    sections += 1
                    if sections == 1 {
                        metadata.sectionOptions = options.map { ($0.code, Array(block.bytes[($0.at + 4)..<($0.at + 4 + $0.length)])) }
                    }
                } else if block.type != PcapngReader.BlockType.simplePacket {
                    let texts = options.filter { $0.code == 1 }.map { String(decoding: block.bytes[($0.at + 4)..<($0.at + 4 + $0.length)], as: UTF8.self) }
                    if !texts.isEmpty { metadata.comments[number] = texts }
                }
            }, { _ in })
        return metadata
    }
}
