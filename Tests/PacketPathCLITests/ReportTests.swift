import Foundation
import Testing
import _PacketPathTestSupport

/// `packet-path report`: the HTML file loaded in headless Chromium (scripts/browser-check.py drives
/// it over the DevTools protocol), its rendered DOM read after real clicks and typing.
@Suite("HTML report")
struct ReportTests {
    static let chromium = (try? CLIRunner.shell("command -v chromium || command -v chromium-browser"))?.status == 0

    /// The DOM's answers to `steps` (JSON), with the requests the page made and its errors.
    struct Browsed {
        var results: [Any]
        var requests: [String]
        var errors: [String]
    }

    static func browse(_ html: String, _ steps: String, folder: String) throws -> Browsed {
        try steps.write(toFile: folder + "/steps.json", atomically: true, encoding: .utf8)
        let run = try CLIRunner.shell("python3 scripts/browser-check.py '\(html)' '\(folder)/steps.json'")
        #expect(run.status == 0, "\(run.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any] ?? [:]
        return Browsed(
            results: object["results"] as? [Any] ?? [], requests: object["requests"] as? [String] ?? [], errors: object["errors"] as? [String] ?? [])
    }

    /// Visible rows' first cells, in table order.
    static let visibleRows = "Array.from(document.querySelectorAll('#rows tr.row')).filter(r => !r.hidden).map(r => r.id).join(' ')"

    @Test(
        "seed before/after with its flows: counts, what changed, a row expanded by a click to both paths with rule numbers, filters, sorting, no request leaves the file",
        .enabled(if: chromium, "needs Chromium (Debian: apt install chromium; scripts/install-deps.sh installs it)"))
    func seedBeforeAfter() throws {
        let folder = try CLIRunner.temporaryFolder("report-seed")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let html = folder + "/report.html"
        let made = try CLIRunner.run([
            "report", "--topology", "Scenarios/seed/after.yaml", "--before", "Scenarios/seed/before.yaml", "--flows", "Scenarios/seed/flows.yaml", "--output", html,
        ])
        #expect(made.status == 0, "\(made.stderr)")
        let steps = """
            [{"eval": "document.querySelectorAll('#rows tr.row').length"},
             {"eval": "document.getElementById('changed-count').textContent"},
             {"eval": "document.getElementById('shown').textContent"},
             {"eval": "document.getElementById('detail-2').hidden"},
             {"click": "#row-2 button.expand"},
             {"eval": "document.getElementById('detail-2').hidden + ' ' + document.querySelector('#row-2 button').getAttribute('aria-expanded')"},
             {"eval": "Array.from(document.querySelectorAll('#detail-2 .side')).map(s => s.querySelector('h3').textContent + ': ' + Array.from(s.querySelectorAll('.kind')).map(k => k.textContent).join(','))"},
             {"eval": "document.getElementById('detail-2').textContent"},
             {"click": "#row-2 button.expand"},
             {"eval": "document.getElementById('detail-2').hidden"},
             {"click": "input.show-verdict[value=internet]"},
             {"eval": "\(Self.visibleRows)"},
             {"click": "input.show-verdict[value=internet]"},
             {"type": ["#filter", "dynamodb"]},
             {"eval": "\(Self.visibleRows)"},
             {"eval": "document.getElementById('filter').value = ''; document.getElementById('filter').dispatchEvent(new Event('input')); document.getElementById('shown').textContent"},
             {"click": "#changed-only"},
             {"eval": "\(Self.visibleRows)"},
             {"click": "#changed-only"},
             {"click": "#rows th:nth-child(9)"},
             {"click": "#rows th:nth-child(9)"},
             {"eval": "Array.from(document.querySelectorAll('#rows tr.row td:nth-child(9)')).map(c => c.textContent).join(' ')"},
             {"eval": "Array.from(document.querySelectorAll('#rows tbody tr')).every((r, i, all) => r.classList.contains('row') ? all[i + 1].id === r.querySelector('button').getAttribute('aria-controls') : true)"},
             {"eval": "document.querySelectorAll('script[src], link[href], img[src]:not([src^=\\"data:\\"]), iframe, object').length"},
             {"eval": "document.querySelector('#diagram svg') !== null"},
             {"screenshot": "\(folder)/wide.png"}]
            """
        let page = try Self.browse(html, steps, folder: folder)
        let r = page.results
        #expect(r.count == 26, "\(r)")
        guard r.count == 26 else { return }
        #expect(r[0] as? Int == 5)
        #expect(r[1] as? String == "3")
        #expect(r[2] as? String == "showing 5 of 5")
        #expect(r[3] as? Bool == true)
        #expect(r[5] as? String == "false true", "\(r[5])")
        // Row 2 is S3: through the internet gateway before, the gateway endpoint after.
        let sides = r[6] as? [String] ?? []
        #expect(sides.count == 2 && sides[0].hasPrefix("Before: source,security-group-egress,network-acl-egress,route-table,internet-gateway"), "\(sides)")
        #expect(sides.count == 2 && sides[1].contains("route-table,gateway-endpoint"), "\(sides)")
        let detail = r[7] as? String ?? ""
        #expect(detail.contains("rule 100 allow all traffic") && detail.contains("route 0.0.0.0/0 → igw-") && detail.contains("s3-gw (vpce-"), "\(detail)")
        #expect(r[9] as? Bool == true)
        #expect(r[11] as? String == "row-1 row-2 row-3 row-4", "internet unticked hides the update flow: \(r[11])")
        #expect(r[14] as? String == "row-3", "\(r[14])")
        #expect(r[15] as? String == "showing 5 of 5")
        #expect(r[17] as? String == "row-1 row-2 row-3", "changed only: Lambda, S3 and DynamoDB: \(r[17])")
        // Sorted by packets, descending on the second click: 3 3 3 2 1.
        #expect(r[21] as? String == "3 3 3 2 1", "\(r[21])")
        #expect(r[22] as? Bool == true, "each detail row stays after its row when sorted")
        #expect(r[23] as? Int == 0)
        #expect(r[24] as? Bool == true)
        #expect(page.requests == ["file://" + html], "\(page.requests)")
        #expect(page.errors.isEmpty, "\(page.errors)")
    }

    @Test(
        "a capture: conversations with bytes; at phone width no sideways scrolling; printed: controls hidden, expanded paths kept, a PDF",
        .enabled(if: chromium, "needs Chromium (Debian: apt install chromium; scripts/install-deps.sh installs it)"))
    func capturePhoneAndPrint() throws {
        let folder = try CLIRunner.temporaryFolder("report-capture")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let html = folder + "/report.html"
        let capture = "Tests/CaptureReplayTests/Fixtures/seed-after.eth.pcap"
        let made = try CLIRunner.run(["report", "--topology", "Scenarios/seed/after.yaml", capture, "--output", html])
        #expect(made.status == 0, "\(made.stderr)")
        let replay = try CLIRunner.run(["replay", "--topology", "Scenarios/seed/after.yaml", capture, "--format", "summary-json"])
        let total = try JSONSerialization.jsonObject(with: Data(replay.stdout.utf8)) as? [String: Any]
        let records = (total?["total"] as? [String: Any])?["records"] as? Int ?? -1
        let steps = """
            [{"eval": "document.querySelector('#counts .total').textContent"},
             {"eval": "Array.from(document.querySelectorAll('#rows tr.row td[data-label=packets]')).reduce((s, c) => s + Number(c.dataset.value), 0)"},
             {"eval": "document.querySelector('#rows th:last-child').textContent"},
             {"click": "#row-1 button.expand"},
             {"width": 390},
             {"eval": "[document.documentElement.scrollWidth, window.innerWidth]"},
             {"eval": "getComputedStyle(document.querySelector('#rows thead')).display"},
             {"eval": "getComputedStyle(document.querySelector('#row-1 td[data-label=source]'), '::before').content"},
             {"screenshot": "\(folder)/phone.png"},
             {"media": "print"},
             {"eval": "[getComputedStyle(document.querySelector('.controls')).display, getComputedStyle(document.querySelector('button.expand')).display, document.getElementById('detail-1').hidden].join(' ')"},
             {"pdf": "\(folder)/report.pdf"}]
            """
        let page = try Self.browse(html, steps, folder: folder)
        let r = page.results
        #expect(r.count == 12, "\(r)")
        guard r.count == 12 else { return }
        #expect((r[0] as? String)?.hasPrefix("\(records) records, \(records) packets") == true, "\(r[0]) vs \(records)")
        #expect(r[1] as? Int == records, "every frame is in a listed conversation")
        #expect(r[2] as? String == "bytes")
        let widths = r[5] as? [Int] ?? []
        #expect(widths.count == 2 && widths[0] <= widths[1], "no sideways scrolling at 390 px: \(widths)")
        #expect(r[6] as? String == "none")
        #expect(r[7] as? String == "\"source: \"")
        #expect(r[10] as? String == "none none false", "\(r[10])")
        let pdf = try Data(contentsOf: URL(fileURLWithPath: folder + "/report.pdf"))
        #expect(pdf.starts(with: Data("%PDF".utf8)) && pdf.count > 10_000)
        #expect(page.errors.isEmpty, "\(page.errors)")
    }
}

/// The report's file without a browser: the same inputs give the same bytes, flow logs and
/// captures with --before, names escaped.
@Suite("HTML report file")
struct ReportFileTests {
    @Test("flow logs with --before: a row per conversation, the same file twice, nothing fetched from elsewhere")
    func flowLogsDeterministic() throws {
        let folder = try CLIRunner.temporaryFolder("report-logs")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let arguments = [
            "report", "--topology", "Scenarios/seed/after.yaml", "--before", "Scenarios/seed/before.yaml", "Tests/FlowLogsTests/Fixtures/seed-after.s3.log.gz",
            "--title", "seed \u{1b}[31m",
        ]
        let first = try CLIRunner.run(arguments + ["--output", folder + "/a.html"])
        let second = try CLIRunner.run(arguments + ["--output", folder + "/b.html"])
        #expect(first.status == 0 && second.status == 0, "\(first.stderr)")
        let a = try String(contentsOfFile: folder + "/a.html", encoding: .utf8)
        #expect(a == (try String(contentsOfFile: folder + "/b.html", encoding: .utf8)))
        #expect(a.contains("<title>seed \\x1b[31m</title>"), "control characters are written visibly")
        #expect(!a.contains("\u{1b}"))
        #expect(a.contains("class=\"row changed\""), "the S3 and DynamoDB conversations changed")
        #expect(!a.contains("src=\"http") && !a.contains("href=\"http") && !a.contains("@import"))
    }

    @Test("flow log files replayed side by side give the report one file at a time gives, byte for byte")
    func jobsDoNotChangeTheReport() throws {
        let folder = try CLIRunner.temporaryFolder("report-jobs")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for name in ["a", "b", "c"] {
            try FileManager.default.copyItem(atPath: "Tests/FlowLogsTests/Fixtures/seed-after.s3.log.gz", toPath: "\(folder)/\(name).log.gz")
        }
        let one = try CLIRunner.run(["report", "--topology", "Scenarios/seed/after.yaml", folder, "--jobs", "1"])
        let three = try CLIRunner.run(["report", "--topology", "Scenarios/seed/after.yaml", folder, "--jobs", "3"])
        #expect(one.status == 0 && three.status == 0 && one.stdout == three.stdout)
        #expect(one.stdout.contains("first at record 1 of \(folder)/a.log.gz"), "the earliest file's record is each path's")
    }

    @Test("--before with standard input is refused; --rows 0 too")
    func refusals() throws {
        let stdin = try CLIRunner.run(["report", "--topology", "Scenarios/seed/after.yaml", "--before", "Scenarios/seed/before.yaml", "-"])
        #expect(stdin.status == 64 && stdin.stderr.contains("replays the inputs twice"), "\(stdin.stderr)")
        let rows = try CLIRunner.run(["report", "--topology", "Scenarios/seed/after.yaml", "--flows", "Scenarios/seed/flows.yaml", "--rows", "0"])
        #expect(rows.status == 64)
    }

    @Test("--rows lists the busiest and says how many more the counts hold")
    func rowLimit() throws {
        let result = try CLIRunner.run(["report", "--topology", "Scenarios/seed/after.yaml", "--flows", "Scenarios/seed/flows.yaml", "--rows", "2"])
        #expect(result.status == 0)
        #expect(result.stdout.components(separatedBy: "<tr class=\"row").count - 1 == 2)
        #expect(result.stdout.contains("The 2 busiest of 5 conversations are listed; the other 3 (6 packets, 0 B) are in the counts above."), "\(result.stdout)")
    }
}

/// `reach --format html`: the reachability answer as the same self-contained report.
@Suite("reach report")
struct ReachReportTests {
    @Test(
        "who can reach the database, as a report: a row per party and way, parties counted per verdict, a row expands to its path",
        .enabled(if: ReportTests.chromium, "needs Chromium (Debian: apt install chromium; scripts/install-deps.sh installs it)"))
    func reachReport() throws {
        let folder = try CLIRunner.temporaryFolder("report-reach")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let html = folder + "/reach.html"
        let made = try CLIRunner.run(["reach", "--topology", "Scenarios/multi-tier/scenario.yaml", "--to", "db1", "--port", "5432", "--format", "html", "--output", html])
        #expect(made.status == 0, "\(made.stderr)")
        let steps = """
            [{"eval": "document.querySelector('h1').textContent"},
             {"eval": "Array.from(document.querySelectorAll('#rows tr.row')).map(r => r.dataset.verdict + ' ' + r.querySelector('td[data-label=source]').textContent).join(' | ')"},
             {"eval": "Array.from(document.querySelectorAll('#counts .verdict-row')).map(r => r.textContent).join(' | ')"},
             {"click": "#row-1 button.expand"},
             {"eval": "document.getElementById('detail-1').hidden + ' ' + document.getElementById('detail-1').textContent.includes('rule 50 deny tcp 5432')"}]
            """
        let page = try ReportTests.browse(html, steps, folder: folder)
        let r = page.results
        #expect(r.count == 5, "\(r)")
        guard r.count == 5 else { return }
        #expect(r[0] as? String == "packet-path reach: who can send tcp 5432 to db1")
        let rows = r[1] as? String ?? ""
        #expect(rows == "dropped bastion/eth0 (10.20.0.10) | private app1/eth0 (10.20.10.11) | private app2/eth0 (10.20.10.12) | dropped internet: 3,702,390,784 addresses in 51 blocks (1.0.0.0/8, 2.0.0.0/7, 4.0.0.0/6, 8.0.0.0/7, …): 1.0.0.0", "\(rows)")
        #expect((r[2] as? String ?? "").hasPrefix("private2") , "\(r[2])")
        #expect(r[4] as? String == "false true", "\(r[4])")
        #expect(page.errors.isEmpty && page.requests == ["file://" + html], "\(page.errors) \(page.requests)")
    }
}
