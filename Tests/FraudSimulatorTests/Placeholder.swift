import Testing

@Test func placeholder_FraudSimulatorTests() {}
