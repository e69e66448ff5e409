// FraudPipeline: the live processor (being written).
