import Testing

@Test func placeholder_FraudModelsTests() {}
