internal import CRdKafka

/// A snapshot of cluster metadata: brokers, topics and their partitions.
public struct KafkaClusterMetadata: Sendable, Hashable {
    /// A broker of the cluster.
    public struct Broker: Sendable, Hashable {
        /// The broker id.
        public var id: Int32
        /// The advertised host name.
        public var host: String
        /// The advertised port.
        public var port: Int32
    }

    /// A partition of a topic.
    public struct Partition: Sendable, Hashable {
        /// The partition number.
        public var id: Int32
        /// The id of the leader broker, or -1 when there is none.
        public var leader: Int32
        /// The ids of the replica brokers.
        public var replicas: [Int32]
        /// The ids of the in-sync replica brokers.
        public var inSyncReplicas: [Int32]
        /// The error the broker reported for this partition, if any.
        public var error: KafkaError?
    }

    /// A topic.
    public struct Topic: Sendable, Hashable {
        /// The topic name.
        public var name: String
        /// The partitions, ordered by id.
        public var partitions: [Partition]
        /// The error the broker reported for this topic, if any (e.g. unknown topic).
        public var error: KafkaError?
    }

    /// The brokers, ordered by id.
    public var brokers: [Broker]
    /// The topics, ordered by name (internal topics such as `__consumer_offsets` included).
    public var topics: [Topic]
    /// The id of the broker that answered.
    public var originatingBrokerID: Int32

    /// The topic named `name`, if the cluster has it.
    public func topic(_ name: String) -> Topic? { topics.first { $0.name == name } }

    init(_ md: rd_kafka_metadata) {
        brokers = (0..<Int(md.broker_cnt)).map { i in
            let b = md.brokers[i]
            return Broker(id: b.id, host: String(cString: b.host), port: b.port)
        }.sorted { $0.id < $1.id }
        topics = (0..<Int(md.topic_cnt)).map { i in
            let t = md.topics[i]
            let partitions = (0..<Int(t.partition_cnt)).map { j in
                let p = t.partitions[j]
                return Partition(
                    id: p.id, leader: p.leader,
                    replicas: (0..<Int(p.replica_cnt)).map { p.replicas[$0] },
                    inSyncReplicas: (0..<Int(p.isr_cnt)).map { p.isrs[$0] },
                    error: p.err == RD_KAFKA_RESP_ERR_NO_ERROR ? nil : KafkaError(p.err))
            }.sorted { $0.id < $1.id }
            return Topic(
                name: String(cString: t.topic), partitions: partitions,
                error: t.err == RD_KAFKA_RESP_ERR_NO_ERROR ? nil : KafkaError(t.err))
        }.sorted { $0.name < $1.name }
        originatingBrokerID = md.orig_broker_id
    }
}
