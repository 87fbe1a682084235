import Foundation
import Testing

/// The teaching labs (Scenarios/labs): each check fails on the exercise, naming what is wrong,
/// and passes on the solution.
@Suite("labs")
struct LabsTests {
    static let labs: [String] = {
        let folder = CLIRunner.packageRoot.appendingPathComponent("Scenarios/labs").path
        return ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
    }()

    @Test("there are six or more labs, each with a task, an exercise, a solution and a check")
    func complete() throws {
        #expect(Self.labs.count >= 6, "\(Self.labs)")
        for lab in Self.labs {
            for file in ["task.md", "exercise.yaml", "solution.yaml", "check.yaml"] {
                #expect(FileManager.default.fileExists(atPath: CLIRunner.packageRoot.appendingPathComponent("Scenarios/labs/\(lab)/\(file)").path), "\(lab)/\(file)")
            }
        }
    }

    @Test("check fails on the exercise with a message per unmet expectation, and passes on the solution", arguments: labs)
    func lab(_ lab: String) throws {
        let folder = "Scenarios/labs/\(lab)"
        let exercise = try CLIRunner.run(["check", "--topology", "\(folder)/exercise.yaml", "--flows", "\(folder)/check.yaml"])
        #expect(exercise.status == 1, "\(exercise.stdout)\(exercise.stderr)")
        #expect(exercise.stdout.contains("\(folder)/check.yaml:") && exercise.stdout.contains(": expected "), "\(exercise.stdout)")
        let solution = try CLIRunner.run(["check", "--topology", "\(folder)/solution.yaml", "--flows", "\(folder)/check.yaml"])
        #expect(solution.status == 0, "\(solution.stdout)\(solution.stderr)")
        #expect(solution.stderr.isEmpty, "no warning on the solution: \(solution.stderr)")
    }
}
