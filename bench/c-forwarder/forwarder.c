/* The reference for bench/switch-vs-c.sh: what the bridge's video switching does for one source and
 * N receivers, in plain C. It receives the source's RTP on one socket with recvmmsg, gives every
 * receiver its own SSRC, sequence number and timestamp (an offset per receiver, as the bridge's
 * rewrite keeps), and sends the copies of a whole receive batch with sendmmsg (or, with mode
 * "sendto", one sendto per copy).
 *   forwarder LISTEN_PORT RECEIVERS FIRST_RECEIVER_PORT [batch|sendto]
 * Receivers are 127.0.0.1:FIRST_RECEIVER_PORT + i. Runs until killed. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define MAX_PACKET 1500
#define RECV_BATCH 64
#define SEND_BATCH 1024 /* UIO_MAXIOV */

struct receiver {
    struct sockaddr_in to;
    uint32_t ssrc;
    uint16_t sequence_offset;
    uint32_t timestamp_offset;
};

static int bound_socket(int port)
{
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    int size = 4 << 20;
    setsockopt(s, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
    setsockopt(s, SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof a) != 0) {
        perror("bind");
        exit(1);
    }
    return s;
}

static void rewrite(uint8_t *p, const struct receiver *r)
{
    uint16_t sequence = (uint16_t)((p[2] << 8 | p[3]) + r->sequence_offset);
    uint32_t timestamp = ((uint32_t)p[4] << 24 | p[5] << 16 | p[6] << 8 | p[7]) + r->timestamp_offset;
    p[2] = sequence >> 8; p[3] = (uint8_t)sequence;
    p[4] = timestamp >> 24; p[5] = timestamp >> 16; p[6] = timestamp >> 8; p[7] = (uint8_t)timestamp;
    p[8] = r->ssrc >> 24; p[9] = r->ssrc >> 16; p[10] = r->ssrc >> 8; p[11] = (uint8_t)r->ssrc;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: %s LISTEN_PORT RECEIVERS FIRST_RECEIVER_PORT [batch|sendto]\n", argv[0]);
        return 2;
    }
    int count = atoi(argv[2]), first = atoi(argv[3]);
    int batched = argc < 5 || strcmp(argv[4], "sendto") != 0;
    int in = bound_socket(atoi(argv[1])), out = bound_socket(0);
    struct receiver *receivers = calloc(count, sizeof *receivers);
    srand(42);
    for (int i = 0; i < count; i++) {
        receivers[i].to = (struct sockaddr_in){ .sin_family = AF_INET, .sin_port = htons(first + i), .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
        receivers[i].ssrc = (uint32_t)rand();
        receivers[i].sequence_offset = (uint16_t)rand();
        receivers[i].timestamp_offset = (uint32_t)rand();
    }

    static uint8_t inbox[RECV_BATCH][MAX_PACKET + 1];
    static struct iovec in_iov[RECV_BATCH];
    static struct mmsghdr in_msgs[RECV_BATCH];
    for (int i = 0; i < RECV_BATCH; i++) {
        in_iov[i] = (struct iovec){ inbox[i], sizeof inbox[i] };
        in_msgs[i].msg_hdr = (struct msghdr){ .msg_iov = &in_iov[i], .msg_iovlen = 1 };
    }
    static uint8_t outbox[SEND_BATCH][MAX_PACKET];
    static struct iovec out_iov[SEND_BATCH];
    static struct mmsghdr out_msgs[SEND_BATCH];

    for (;;) {
        int n = recvmmsg(in, in_msgs, RECV_BATCH, MSG_WAITFORONE, NULL);
        if (n <= 0)
            continue;
        int queued = 0;
        for (int k = 0; k < n; k++) {
            unsigned length = in_msgs[k].msg_len;
            if (length < 12 || length > MAX_PACKET)
                continue;
            for (int i = 0; i < count; i++) {
                if (!batched) {
                    memcpy(outbox[0], inbox[k], length);
                    rewrite(outbox[0], &receivers[i]);
                    sendto(out, outbox[0], length, 0, (struct sockaddr *)&receivers[i].to, sizeof receivers[i].to);
                    continue;
                }
                memcpy(outbox[queued], inbox[k], length);
                rewrite(outbox[queued], &receivers[i]);
                out_iov[queued] = (struct iovec){ outbox[queued], length };
                out_msgs[queued].msg_hdr = (struct msghdr){ .msg_name = &receivers[i].to, .msg_namelen = sizeof receivers[i].to,
                                                            .msg_iov = &out_iov[queued], .msg_iovlen = 1 };
                if (++queued == SEND_BATCH) {
                    for (int sent = 0; sent < queued;) {
                        int m = sendmmsg(out, out_msgs + sent, queued - sent, 0);
                        sent += m > 0 ? m : 1;
                    }
                    queued = 0;
                }
            }
        }
        for (int sent = 0; sent < queued;) {
            int m = sendmmsg(out, out_msgs + sent, queued - sent, 0);
            sent += m > 0 ? m : 1;
        }
    }
}
