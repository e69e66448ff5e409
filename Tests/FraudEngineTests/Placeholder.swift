import Testing

@Test func placeholder_FraudEngineTests() {}
