// Tests for FraudPipeline (being written).
