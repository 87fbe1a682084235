import CaptureReplay
import JSONParsing
import TrafficAnalysis
import VPCTopology

/// `recommend`'s output: each endpoint with where it goes, the traffic it would carry, what it
/// saves and costs.
package enum RecommendationText {
    /// Money with two decimals (four below a cent, so small observations do not print as zero).
    static func money(_ amount: Double, _ currency: String) -> String {
        let digits = amount != 0 && amount < 0.01 ? 4 : 2
        let scale = digits == 4 ? 10_000.0 : 100.0
        let whole = (amount * scale).rounded()
        let integer = Int(whole / scale)
        let fraction = String(Int(whole) - integer * Int(scale))
        return "\(currency == "USD" ? "$" : currency + " ")\(integer).\(String(repeating: "0", count: digits - fraction.count))\(fraction)"
    }

    /// The observed period's per-month factor (`nil` without times).
    static func monthFactor(_ report: TrafficReport, _ pricing: Pricing) -> Double? {
        report.seconds.map { pricing.hoursPerMonth * 3600 / Double($0) }
    }

    package static func text(_ found: [Recommendation], report: TrafficReport, pricing: Pricing) -> String {
        guard !found.isEmpty else {
            return "No traffic to an AWS service left through an internet gateway or NAT gateway: no endpoint to recommend "
                + "(\(report.total.records) records judged)."
        }
        let period = report.seconds.map { "over \($0) s of traffic" } ?? "for the flows judged (no times: per-month figures are for the endpoints' hours alone)"
        var lines = ["Endpoints that would keep the observed traffic to AWS services private (\(period); \(pricing.region) prices in \(pricing.currency)):"]
        let factor = monthFactor(report, pricing)
        for (number, item) in found.enumerated() {
            let name = AWSService(serviceName: item.service)?.description ?? item.service
            switch item.kind {
            case .gateway:
                lines.append("\(number + 1). \(name) gateway endpoint (\(item.service)) in \(item.vpc), route tables \(item.routeTables.joined(separator: ", "))")
            case .interface:
                lines.append(
                    "\(number + 1). \(name) interface endpoint (\(item.service)) in \(item.vpc) with private DNS, in zones \(item.zones.joined(separator: ", ")) "
                        + "(subnets \(item.subnets.joined(separator: ", ")))")
            }
            let nat = item.throughNAT.bytes > 0 ? ", \(item.throughNAT.bytes) of them through a NAT gateway" : ""
            lines.append("   keeps private: \(item.traffic.records) records, \(item.traffic.packets) packets, \(item.traffic.bytes) bytes\(nat)")
            let perMonth = { (amount: Double) in factor.map { " (\(money(amount * $0, pricing.currency)) a month at this rate)" } ?? "" }
            lines.append("   saves: \(money(item.natSaving, pricing.currency)) of NAT gateway processing\(perMonth(item.natSaving))")
            switch item.kind {
            case .gateway:
                lines.append("   costs: \(money(item.monthlyFixedCost, pricing.currency)) a month (gateway endpoints are free)")
            case .interface:
                lines.append(
                    "   costs: \(money(item.monthlyFixedCost, pricing.currency)) a month (\(item.zones.count) zone\(item.zones.count == 1 ? "" : "s") × "
                        + "\(money(pricing.interfaceEndpointPerZoneHour, pricing.currency)) an hour × \(Int(pricing.hoursPerMonth)) h) + "
                        + "\(money(item.dataCost, pricing.currency)) of data processing\(perMonth(item.dataCost))")
            }
        }
        return lines.joined(separator: "\n")
    }

    package static func json(_ found: [Recommendation], report: TrafficReport, pricing: Pricing) -> String {
        func strings(_ values: [String]) -> String { "[" + values.map(JSONText.string).joined(separator: ",") + "]" }
        let factor = monthFactor(report, pricing)
        let entries = found.map { item in
            "{\"service\":\(JSONText.string(item.service)),\"kind\":\(JSONText.string(item.kind.rawValue)),\"vpc\":\(JSONText.string(item.vpc)),"
                + "\"routeTables\":\(strings(item.routeTables)),\"subnets\":\(strings(item.subnets)),\"zones\":\(strings(item.zones)),"
                + "\"records\":\(item.traffic.records),\"packets\":\(item.traffic.packets),\"bytes\":\(item.traffic.bytes),\"bytesThroughNAT\":\(item.throughNAT.bytes),"
                + "\"natSaving\":\(item.natSaving),\"dataCost\":\(item.dataCost),\"monthlyFixedCost\":\(item.monthlyFixedCost),"
                + "\"monthlyNATSaving\":\(factor.map { "\(item.natSaving * $0)" } ?? "null"),\"monthlyDataCost\":\(factor.map { "\(item.dataCost * $0)" } ?? "null")}"
        }
        return "{\"region\":\(JSONText.string(pricing.region)),\"currency\":\(JSONText.string(pricing.currency)),\"seconds\":\(report.seconds.map(String.init) ?? "null"),"
            + "\"recommendations\":[" + (entries.isEmpty ? "" : "\n  " + entries.joined(separator: ",\n  ") + "\n") + "]}"
    }
}
