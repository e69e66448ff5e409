#ifndef FRAUDSTREAM_CRDKAFKA_SHIM_H
#define FRAUDSTREAM_CRDKAFKA_SHIM_H

#include <stdint.h>
#include <sys/prctl.h>
#include <dirent.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

/*
 * Non-variadic helpers for the variadic parts of librdkafka 2.0.2, which Swift cannot call.
 * Everything here is `static inline`: no separate C target, no symbols of our own.
 */

/**
 * Produces one message with RD_KAFKA_MSG_F_COPY (librdkafka copies key, value and header
 * bytes, so the caller's buffers may be released as soon as this returns).
 *
 * - value == NULL produces a tombstone (null payload); key == NULL a null key.
 * - partition == RD_KAFKA_PARTITION_UA lets the configured partitioner choose.
 * - timestamp_ms == 0 means "now" (librdkafka's convention).
 * - headers: ownership passes to librdkafka on success only; on failure the caller frees it.
 * - opaque: the per-message opaque handed back in the delivery report.
 *
 * Returns the error directly (no rd_kafka_last_error(), which is thread-local).
 */
static inline rd_kafka_resp_err_t fs_rd_kafka_produce(rd_kafka_t *rk,
                                                      rd_kafka_topic_t *rkt,
                                                      int32_t partition,
                                                      const void *key,
                                                      size_t key_len,
                                                      const void *value,
                                                      size_t value_len,
                                                      rd_kafka_headers_t *headers,
                                                      int64_t timestamp_ms,
                                                      void *opaque) {
        if (headers)
                return rd_kafka_producev(
                    rk, RD_KAFKA_V_RKT(rkt), RD_KAFKA_V_PARTITION(partition),
                    RD_KAFKA_V_KEY(key, key_len),
                    RD_KAFKA_V_VALUE((void *)value, value_len),
                    RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                    RD_KAFKA_V_TIMESTAMP(timestamp_ms),
                    RD_KAFKA_V_HEADERS(headers), RD_KAFKA_V_OPAQUE(opaque),
                    RD_KAFKA_V_END);
        return rd_kafka_producev(
            rk, RD_KAFKA_V_RKT(rkt), RD_KAFKA_V_PARTITION(partition),
            RD_KAFKA_V_KEY(key, key_len), RD_KAFKA_V_VALUE((void *)value, value_len),
            RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
            RD_KAFKA_V_TIMESTAMP(timestamp_ms), RD_KAFKA_V_OPAQUE(opaque),
            RD_KAFKA_V_END);
}

/**
 * Pushes one (error, round-trip time) tuple onto a mock broker's error stack for ApiKey.
 * rd_kafka_mock_broker_push_request_error_rtts() is variadic; calling this repeatedly
 * pushes tuples in the same order.
 */
static inline rd_kafka_resp_err_t
fs_rd_kafka_mock_broker_push_request_error_rtt(rd_kafka_mock_cluster_t *mcluster,
                                               int32_t broker_id,
                                               int16_t api_key,
                                               rd_kafka_resp_err_t err,
                                               int rtt_ms) {
        return rd_kafka_mock_broker_push_request_error_rtts(mcluster, broker_id, api_key,
                                                            1, err, rtt_ms);
}

/** The partition-unassigned sentinel (a macro, so invisible to Swift). */
static inline int32_t fs_rd_kafka_partition_ua(void) {
        return RD_KAFKA_PARTITION_UA;
}

/**
 * Names the calling thread (at most 15 bytes are kept). prctl() is variadic, and
 * pthread_setname_np() needs _GNU_SOURCE, so neither is visible to Swift as it is.
 */
static inline int fs_set_current_thread_name(const char *name) {
        return prctl(PR_SET_NAME, (unsigned long)name, 0UL, 0UL, 0UL);
}

/**
 * Sets TCP_NODELAY on this process's listening TCP sockets bound to loopback `port`, and
 * returns how many it found. librdkafka's mock brokers accept connections without it
 * (rd_kafka_transport_new() sets no TCP option), so Nagle's algorithm on their side
 * meets the client's delayed acknowledgements and holds small responses for up to 40 ms.
 * Linux copies the option from a listening socket to the connections it accepts.
 */
static inline int fs_nodelay_listeners_on_port(int port) {
        DIR *dir = opendir("/proc/self/fd");
        if (!dir) return -1;
        int found = 0;
        struct dirent *entry;
        while ((entry = readdir(dir)) != NULL) {
                char *end = NULL;
                long fd = strtol(entry->d_name, &end, 10);
                if (end == entry->d_name || *end != '\0' || fd == dirfd(dir)) continue;
                int listening = 0;
                socklen_t len = sizeof(listening);
                if (getsockopt((int)fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &len) != 0 || !listening) continue;
                struct sockaddr_in addr;
                socklen_t alen = sizeof(addr);
                if (getsockname((int)fd, (struct sockaddr *)&addr, &alen) != 0 || addr.sin_family != AF_INET) continue;
                if (ntohs(addr.sin_port) != port) continue;
                int on = 1;
                if (setsockopt((int)fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on)) == 0) found++;
        }
        closedir(dir);
        return found;
}

#endif
