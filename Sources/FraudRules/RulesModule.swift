// FraudRules: rules files for the live processor (being written).
