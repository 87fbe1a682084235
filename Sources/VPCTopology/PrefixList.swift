import PathCore

/// A managed prefix list (R3.1–R3.4): single family, current entries only.
public struct PrefixList: Sendable {
    public var label: ResourceLabel
    /// `com.amazonaws.us-east-1.s3` for AWS-managed lists, the user's name otherwise.
    public var prefixListName: String
    /// `AWS` for AWS-managed lists, the account ID otherwise.
    public var owner: String
    public var family: AddressFamily
    /// The entries; `nil` when the input did not include them (an incomplete snapshot).
    public var entries: [IPPrefix]?

    public init(label: ResourceLabel, prefixListName: String, owner: String, family: AddressFamily, entries: [IPPrefix]?) {
        self.label = label
        self.prefixListName = prefixListName
        self.owner = owner
        self.family = family
        self.entries = entries
    }

    /// Whether AWS manages this list.
    public var isAWSManaged: Bool { owner == "AWS" }

    /// Whether `address` is in any entry.
    public func contains(_ address: IPAddress) -> Bool { entries?.contains { $0.contains(address) } ?? false }
}
