import Testing

@Test func placeholder_FraudStreamCLITests() {}
