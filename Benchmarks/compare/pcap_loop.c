/* The bare libpcap loop packet-path's replay is compared with: pcap_next_ex and the 5-tuple of
 * Ethernet/IPv4/IPv6 frames, nothing else. Prints {"frames","framesPerSecond"} (median of REPEAT).
 * With BUFFER > 0 the file is opened with fopen, given a stdio buffer of BUFFER bytes (setvbuf)
 * and handed to pcap_fopen_offline, as packet-path reads it; otherwise pcap_open_offline. */
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }
static int cmp_double(const void *a, const void *b) { double x = *(const double *)a, y = *(const double *)b; return (x > y) - (x < y); }

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: %s CAPTURE [REPEAT [BUFFER]]\n", argv[0]); return 64; }
    int repeat = argc > 2 ? atoi(argv[2]) : 5;
    long buffer_size = argc > 3 ? atol(argv[3]) : 0;
    char *buffer = buffer_size > 0 ? malloc((size_t)buffer_size) : NULL;
    double rates[32];
    long frames = 0;
    uint64_t hash = 0;
    if (repeat > 32) repeat = 32;
    for (int r = 0; r < repeat; r++) {
        char err[PCAP_ERRBUF_SIZE];
        pcap_t *p;
        if (buffer) {
            FILE *f = fopen(argv[1], "rb");
            if (!f) { perror(argv[1]); return 66; }
            setvbuf(f, buffer, _IOFBF, (size_t)buffer_size);
            p = pcap_fopen_offline(f, err);
        } else {
            p = pcap_open_offline(argv[1], err);
        }
        if (!p) { fprintf(stderr, "%s\n", err); return 66; }
        struct pcap_pkthdr *h;
        const u_char *d;
        frames = 0;
        double s = now();
        while (pcap_next_ex(p, &h, &d) == 1) {
            frames++;
            if (h->caplen < 34) continue;
            uint16_t type = (uint16_t)(d[12] << 8 | d[13]);
            if (type == 0x0800) hash += (uint64_t)d[23] + d[26] + d[30] + ((uint64_t)d[34] << 8);
            else if (type == 0x86dd && h->caplen >= 58) hash += (uint64_t)d[20] + d[22] + d[38] + d[54];
        }
        rates[r] = frames / (now() - s);
        pcap_close(p);
    }
    qsort(rates, repeat, sizeof(double), cmp_double);
    printf("{\"frames\":%ld,\"framesPerSecond\":%.0f,\"ignore\":%llu}\n", frames, rates[repeat / 2], (unsigned long long)(hash & 1));
    return 0;
}
