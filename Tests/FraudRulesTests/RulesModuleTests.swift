// Tests for FraudRules (being written).
