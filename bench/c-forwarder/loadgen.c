/* The load both forwarders get in bench/switch-vs-c.sh: one VP8 source sending 1,200-byte RTP packets at a
 * steady rate to TARGET_PORT, and N receivers on 127.0.0.1:FIRST_RECEIVER_PORT + i. Each packet carries the
 * monotonic time it left the source socket and its index; the receivers (one epoll thread) note when it
 * arrived. CPU is the forwarder's alone, summed over its threads from /proc/PID/task/ASTERISK/schedstat.
 *   loadgen TARGET_PORT RECEIVERS FIRST_RECEIVER_PORT RATE SECONDS FORWARDER_PID [WARMUP_SECONDS]
 * Prints one line starting with RESULT, key=value pairs. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define PACKET 1200
#define BATCH 64

static int count;
static int *sinks;
static atomic_int stopping;
static atomic_uint_fast64_t measure_from = UINT64_MAX, measure_to = UINT64_MAX;
static uint64_t *delivered;
static uint64_t *latencies;
static atomic_uint_fast64_t latency_count;
static uint64_t latency_capacity;

static uint64_t now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static uint64_t read64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = v << 8 | p[i];
    return v;
}

static void write64(uint8_t *p, uint64_t v)
{
    for (int i = 7; i >= 0; i--, v >>= 8)
        p[i] = (uint8_t)v;
}

/* Nanoseconds the process has run on any CPU, over all its threads. */
static uint64_t cpu_ns(int pid)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/task", pid);
    DIR *d = opendir(path);
    if (!d)
        return 0;
    uint64_t total = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char file[320];
        snprintf(file, sizeof file, "/proc/%d/task/%s/schedstat", pid, e->d_name);
        FILE *f = fopen(file, "r");
        unsigned long long run = 0;
        if (f) {
            if (fscanf(f, "%llu", &run) == 1)
                total += run;
            fclose(f);
        }
    }
    closedir(d);
    return total;
}

static void *receive(void *arg)
{
    (void)arg;
    int ep = epoll_create1(0);
    for (int i = 0; i < count; i++) {
        struct epoll_event ev = { .events = EPOLLIN, .data.u32 = (uint32_t)i };
        epoll_ctl(ep, EPOLL_CTL_ADD, sinks[i], &ev);
    }
    static uint8_t buffers[BATCH][1500];
    struct iovec iov[BATCH];
    struct mmsghdr msgs[BATCH];
    struct epoll_event events[64];
    while (!atomic_load(&stopping)) {
        int ready = epoll_wait(ep, events, 64, 100);
        for (int r = 0; r < ready; r++) {
            int i = (int)events[r].data.u32;
            for (;;) {
                for (int k = 0; k < BATCH; k++) {
                    iov[k] = (struct iovec){ buffers[k], sizeof buffers[k] };
                    msgs[k].msg_hdr = (struct msghdr){ .msg_iov = &iov[k], .msg_iovlen = 1 };
                }
                int n = recvmmsg(sinks[i], msgs, BATCH, MSG_DONTWAIT, NULL);
                if (n <= 0)
                    break;
                uint64_t arrived = now_ns();
                for (int k = 0; k < n; k++) {
                    if (msgs[k].msg_len < 32)
                        continue;
                    uint64_t index = read64(buffers[k] + 24);
                    if (index < atomic_load(&measure_from) || index >= atomic_load(&measure_to))
                        continue;
                    delivered[i]++;
                    uint64_t slot = atomic_fetch_add(&latency_count, 1);
                    if (slot < latency_capacity)
                        latencies[slot] = arrived - read64(buffers[k] + 16);
                }
            }
        }
    }
    return NULL;
}

static int compare(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    if (argc < 7) {
        fprintf(stderr, "usage: %s TARGET_PORT RECEIVERS FIRST_RECEIVER_PORT RATE SECONDS FORWARDER_PID [WARMUP_SECONDS]\n", argv[0]);
        return 2;
    }
    int target_port = atoi(argv[1]);
    count = atoi(argv[2]);
    int first = atoi(argv[3]), rate = atoi(argv[4]), seconds = atoi(argv[5]), pid = atoi(argv[6]);
    double warmup = argc > 7 ? atof(argv[7]) : 2;
    sinks = calloc(count, sizeof *sinks);
    delivered = calloc(count, sizeof *delivered);
    latency_capacity = (uint64_t)rate * seconds * count + 1;
    latencies = malloc(latency_capacity * sizeof *latencies);
    int size = 4 << 20;
    for (int i = 0; i < count; i++) {
        sinks[i] = socket(AF_INET, SOCK_DGRAM, 0);
        setsockopt(sinks[i], SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
        struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(first + i), .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
        if (bind(sinks[i], (struct sockaddr *)&a, sizeof a) != 0) {
            perror("bind receiver");
            return 1;
        }
    }
    pthread_t receiver;
    pthread_create(&receiver, NULL, receive, NULL);

    int source = socket(AF_INET, SOCK_DGRAM, 0);
    setsockopt(source, SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
    struct sockaddr_in target = { .sin_family = AF_INET, .sin_port = htons(target_port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    uint8_t packet[PACKET] = { 0x80 };
    uint16_t sequence = 0;
    uint32_t timestamp = 0;
    uint64_t index = 0;
#define SEND(key)                                                                      \
    do {                                                                               \
        packet[1] = 0x80 | 97;                                                         \
        packet[2] = sequence >> 8; packet[3] = (uint8_t)sequence; sequence++;          \
        timestamp += 3000;                                                             \
        packet[4] = timestamp >> 24; packet[5] = timestamp >> 16;                      \
        packet[6] = timestamp >> 8; packet[7] = (uint8_t)timestamp;                    \
        packet[8] = 0; packet[9] = 0; packet[10] = 0x5E; packet[11] = 0xED;            \
        packet[12] = 0x10; packet[13] = (key) ? 0x00 : 0x01;                           \
        write64(packet + 24, index++);                                                 \
        write64(packet + 16, now_ns());                                                \
        sendto(source, packet, PACKET, 0, (struct sockaddr *)&target, sizeof target);  \
    } while (0)

    /* Keyframes first, so every receiver's switch lets the source through. */
    for (int i = 0; i < 20; i++) {
        SEND(1);
        usleep(10000);
    }
    uint64_t start = now_ns(), sent = 0, measured_from_sent = 0;
    uint64_t cpu_before = 0, measure_start = 0;
    double total = warmup + seconds;
    for (;;) {
        uint64_t t = now_ns();
        double elapsed = (t - start) / 1e9;
        if (elapsed >= total)
            break;
        if (measure_start == 0 && elapsed >= warmup) {
            measure_start = t;
            measured_from_sent = sent;
            atomic_store(&measure_from, index);
            cpu_before = cpu_ns(pid);
        }
        uint64_t due = (uint64_t)(elapsed * rate);
        while (sent < due) {
            SEND(0);
            sent++;
        }
        usleep(1000);
    }
    atomic_store(&measure_to, index);
    uint64_t measured_ns = now_ns() - measure_start;
    usleep(300000);
    uint64_t cpu = cpu_ns(pid) - cpu_before;
    atomic_store(&stopping, 1);
    pthread_join(receiver, NULL);

    uint64_t offered = sent - measured_from_sent, got = 0;
    for (int i = 0; i < count; i++)
        got += delivered[i];
    uint64_t n = atomic_load(&latency_count);
    if (n > latency_capacity)
        n = latency_capacity;
    qsort(latencies, n, sizeof *latencies, compare);
    double p50 = n ? latencies[n / 2] / 1e3 : 0, p99 = n ? latencies[(uint64_t)(n * 0.99)] / 1e3 : 0;
    printf("RESULT receivers=%d rate=%d seconds=%d offered=%llu expected=%llu delivered=%llu pct=%.2f pps=%.0f cpu_s=%.3f per_cpu_s=%.0f p50_us=%.0f p99_us=%.0f\n",
           count, rate, seconds, (unsigned long long)offered, (unsigned long long)(offered * count), (unsigned long long)got,
           100.0 * got / (offered > 0 ? (double)offered * count : 1), got / (measured_ns / 1e9), cpu / 1e9,
           cpu ? got / (cpu / 1e9) : 0, p50, p99);
    return 0;
}
