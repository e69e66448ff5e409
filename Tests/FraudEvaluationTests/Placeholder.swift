import Testing

@Test func placeholder_FraudEvaluationTests() {}
