internal import CRdKafka

/// Builds an `rd_kafka_conf_t` from ordered properties.
enum RDKafkaConfig {
    /// Property names whose values must never appear in logs or errors.
    static func isSecret(_ key: String) -> Bool {
        let k = key.lowercased()
        return k.contains("password") || k.contains("secret") || k.contains("key.pem") || k.contains("token")
    }

    /// Returns a new conf (caller owns it) or throws a KafkaError naming the offending property.
    static func make(_ properties: [(key: String, value: String)]) throws(KafkaError) -> OpaquePointer {
        guard let conf = rd_kafka_conf_new() else {
            throw KafkaError(code: .invalidArgument, message: "rd_kafka_conf_new failed")
        }
        for (key, value) in properties {
            var errstr = [CChar](repeating: 0, count: 512)
            let result = rd_kafka_conf_set(conf, key, value, &errstr, errstr.count)
            if result != RD_KAFKA_CONF_OK {
                rd_kafka_conf_destroy(conf)
                let detail = String.fromCBuffer(errstr)
                if result == RD_KAFKA_CONF_UNKNOWN {
                    throw KafkaError(
                        code: .invalidArgument,
                        message: "unknown librdkafka configuration property \"\(key)\" (\(detail))")
                }
                let shown = isSecret(key) ? "<redacted>" : "\"\(value)\""
                throw KafkaError(
                    code: .invalidArgument,
                    message: "invalid value \(shown) for librdkafka configuration property \"\(key)\" (\(detail))")
            }
        }
        return conf
    }
}
