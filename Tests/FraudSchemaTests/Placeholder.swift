import Testing

@Test func placeholder_FraudSchemaTests() {}
