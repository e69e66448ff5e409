import Testing

@Test func placeholder_RdKafkaTests() {}
