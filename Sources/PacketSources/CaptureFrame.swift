import PacketWire

/// One record of a capture, valid only during the callback that receives it (no copy is made).
public struct CaptureFrame {
    /// 1-based position in the capture, as tshark numbers frames.
    public var number: Int
    /// Seconds and nanoseconds since the epoch.
    public var seconds: Int64
    public var nanoseconds: UInt32
    /// Bytes captured (`incl_len`) and bytes on the wire (`orig_len`).
    public var capturedLength: Int
    public var originalLength: Int
    public var linkType: LinkType
    /// The captured bytes; not valid after the callback returns.
    public var bytes: UnsafeRawBufferPointer

    public init(
        number: Int, seconds: Int64, nanoseconds: UInt32, capturedLength: Int, originalLength: Int, linkType: LinkType, bytes: UnsafeRawBufferPointer
    ) {
        self.number = number
        self.seconds = seconds
        self.nanoseconds = nanoseconds
        self.capturedLength = capturedLength
        self.originalLength = originalLength
        self.linkType = linkType
        self.bytes = bytes
    }
}

/// Why a capture could not be read (further).
public struct CaptureError: Error, Sendable, CustomStringConvertible {
    public var file: String
    /// Byte offset of the problem in the file, when it can be known (not for standard input).
    public var offset: Int?
    /// Frames read completely before the problem.
    public var framesRead: Int
    public var message: String

    public init(file: String, offset: Int?, framesRead: Int, message: String) {
        self.file = file
        self.offset = offset
        self.framesRead = framesRead
        self.message = message
    }

    public var description: String {
        let position = offset.map { " at byte \($0)" } ?? (framesRead > 0 ? " after frame \(framesRead)" : "")
        return "\(file)\(position): error: \(message)"
    }
}
