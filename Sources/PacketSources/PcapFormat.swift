/// Sizes of the classic pcap file format (the file header, then a header per record).
package enum PcapFormat {
    /// The global header: magic, version, zone, accuracy, snapshot length, link type.
    package static let globalHeaderSize = 24
    /// Each record's header: seconds, fraction, captured length, original length.
    package static let recordHeaderSize = 16
}
