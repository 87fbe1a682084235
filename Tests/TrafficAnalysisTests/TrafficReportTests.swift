import Testing

@testable import TrafficAnalysis
