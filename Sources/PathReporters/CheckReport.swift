import CaptureReplay
import PathClassifier

/// `check`'s findings: each flow with an expectation, met or not, as lines for people and as
/// JUnit XML for CI systems.
package struct CheckReport {
    /// One checked flow.
    package struct Outcome {
        package var name: String
        package var line: Int?
        package var expected: FlowExpectation
        package var got: FlowClassification

        package var passed: Bool { expected.isMet(by: got) }
    }

    package var file: String
    package var outcomes: [Outcome] = []
    /// Flows without `expect:`: judged, not checked.
    package var unchecked = 0

    package init(file: String, judged: [JudgedFlow]) {
        self.file = file
        for flow in judged {
            guard let expected = flow.flow.request.expect else {
                unchecked += 1
                continue
            }
            let request = flow.flow.request
            outcomes.append(Outcome(name: request.name ?? "\(request.from) → \(request.to)", line: request.line, expected: expected, got: flow.classification))
        }
    }

    package var failures: [Outcome] { outcomes.filter { !$0.passed } }

    /// What a flow came to: `internet igw-direct via seed-igw (igw-…) (route 0.0.0.0/0 → igw-…)`.
    static func describe(_ got: FlowClassification) -> String {
        var text = "\(got.verdict.rawValue) \(got.reason.rawValue)"
        if let hop = got.decisiveHop { text += " via \(hop.resource)" }
        if let reply = got.reply, reply.verdict == .dropped { text += " (the reply)" }
        if let route = got.request.hops.last(where: { $0.kind == .routeTable && $0.passed }) { text += " (\(route.detail))" }
        return text
    }

    /// `FILE:LINE: flow NAME: expected private via s3-gw, got internet igw-direct via …`.
    package static func message(_ outcome: Outcome, file: String) -> String {
        "\(file):\(outcome.line.map(String.init) ?? "?"): flow \(outcome.name): expected \(outcome.expected.description), got \(describe(outcome.got))"
    }

    /// Every failure's message, then `N of M expectations met (K flows without one)`.
    package func text() -> String {
        var lines = failures.map { Self.message($0, file: file) }
        let met = outcomes.count - failures.count
        lines.append(
            "\(met) of \(outcomes.count) expectation\(outcomes.count == 1 ? "" : "s") met"
                + (unchecked > 0 ? " (\(unchecked) flow\(unchecked == 1 ? "" : "s") without one, not checked)" : ""))
        return lines.joined(separator: "\n")
    }

    /// JUnit XML (the schema Jenkins, GitLab and GitHub reporters read): one test suite for the
    /// flow file, one test case per checked flow, a failure element for each unmet expectation.
    package func junit() -> String {
        var lines = [
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
            "<testsuites name=\"packet-path check\" tests=\"\(outcomes.count)\" failures=\"\(failures.count)\">",
            "  <testsuite name=\(Markup.attribute(file)) tests=\"\(outcomes.count)\" failures=\"\(failures.count)\" skipped=\"0\">",
        ]
        for outcome in outcomes {
            let name = Markup.attribute("flow \(outcome.name)")
            let classname = Markup.attribute(file)
            if outcome.passed {
                lines.append("    <testcase name=\(name) classname=\(classname)/>")
            } else {
                let message = Self.message(outcome, file: file)
                lines.append("    <testcase name=\(name) classname=\(classname)>")
                lines.append("      <failure message=\(Markup.attribute(message)) type=\"expectation\">\(Markup.escaped(message))</failure>")
                lines.append("    </testcase>")
            }
        }
        lines.append("  </testsuite>")
        lines.append("</testsuites>")
        return lines.joined(separator: "\n")
    }
}
