/* A plain C DIR-24-8 with 16-bit entries: the reference packet-path's IPv4 LPM is compared with.
 * Reads the `packet-path bench lpm` files (routes: "PREFIX NEXTHOP" lines; lookups: raw big-endian
 * IPv4 addresses) and prints {"buildSeconds","structureBytes","lookupsPerSecond","checksum"}. */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct { uint32_t net; int len; uint16_t hop; } route;

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }
static int by_length(const void *a, const void *b) { return ((const route *)a)->len - ((const route *)b)->len; }
static int cmp_double(const void *a, const void *b) { double x = *(const double *)a, y = *(const double *)b; return (x > y) - (x < y); }

int main(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, "usage: %s ROUTES LOOKUPS [REPEAT]\n", argv[0]); return 64; }
    int repeat = argc > 3 ? atoi(argv[3]) : 7;
    FILE *f = fopen(argv[1], "r");
    if (!f) { perror(argv[1]); return 66; }
    size_t cap = 1 << 20, n = 0;
    route *routes = malloc(cap * sizeof(route));
    char line[256], text[128];
    unsigned hop;
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#' || sscanf(line, "%127s %u", text, &hop) != 2) continue;
        char *slash = strchr(text, '/');
        if (!slash) continue;
        *slash = 0;
        struct in_addr a;
        if (inet_pton(AF_INET, text, &a) != 1) continue;
        if (n == cap) routes = realloc(routes, (cap *= 2) * sizeof(route));
        routes[n].net = ntohl(a.s_addr);
        routes[n].len = atoi(slash + 1);
        routes[n].hop = (uint16_t)hop;
        n++;
    }
    fclose(f);
    double t0 = now();
    qsort(routes, n, sizeof(route), by_length);  /* stable enough: duplicates are rare in the generated tables */
    uint16_t *tbl24 = calloc(1 << 24, 2);
    size_t groups = 0, group_cap = 4096;
    uint16_t *tbl8 = malloc(group_cap * 256 * 2);
    uint16_t hops[32768];
    int nhops = 1;
    hops[0] = 0;
    for (size_t i = 0; i < n; i++) {
        int v = 0;
        for (v = 1; v < nhops && hops[v] != routes[i].hop; v++) {}
        if (v == nhops) { if (nhops == 32768) { fprintf(stderr, "too many next hops\n"); return 65; } hops[nhops++] = routes[i].hop; }
        uint32_t net = routes[i].net;
        if (routes[i].len <= 24) {
            uint32_t start = net >> 8, count = 1u << (24 - routes[i].len);
            for (uint32_t j = 0; j < count; j++) tbl24[start + j] = (uint16_t)v;
        } else {
            uint32_t slot = net >> 8;
            size_t g;
            if (tbl24[slot] & 0x8000) g = tbl24[slot] & 0x7fff;
            else {
                if (groups == group_cap) tbl8 = realloc(tbl8, (group_cap *= 2) * 256 * 2);
                g = groups++;
                for (int j = 0; j < 256; j++) tbl8[g * 256 + j] = tbl24[slot];
                tbl24[slot] = 0x8000 | (uint16_t)g;
            }
            uint32_t start = (uint32_t)(g << 8) | (net & 0xff), count = 1u << (32 - routes[i].len);
            for (uint32_t j = 0; j < count; j++) tbl8[start + j] = (uint16_t)v;
        }
    }
    double build = now() - t0;
    f = fopen(argv[2], "rb");
    if (!f) { perror(argv[2]); return 66; }
    fseek(f, 0, SEEK_END);
    size_t bytes = (size_t)ftell(f), keys = bytes / 4;
    rewind(f);
    uint8_t *raw = malloc(bytes);
    if (fread(raw, 1, bytes, f) != bytes) { fprintf(stderr, "short read\n"); return 66; }
    fclose(f);
    uint32_t *addr = malloc(keys * 4);
    for (size_t i = 0; i < keys; i++) addr[i] = (uint32_t)raw[4 * i] << 24 | (uint32_t)raw[4 * i + 1] << 16 | (uint32_t)raw[4 * i + 2] << 8 | raw[4 * i + 3];
    uint64_t checksum = 0;
    double rates[64];
    if (repeat > 64) repeat = 64;
    for (int r = -1; r < repeat; r++) {  /* r = -1: warm-up */
        uint64_t sum = 0;
        double s = now();
        for (size_t i = 0; i < keys; i++) {
            uint16_t e = tbl24[addr[i] >> 8];
            if (e & 0x8000) e = tbl8[(size_t)(e & 0x7fff) << 8 | (addr[i] & 0xff)];
            sum += hops[e];
        }
        double elapsed = now() - s;
        if (r < 0) checksum = sum; else rates[r] = keys / elapsed;
        if (sum != checksum) { fprintf(stderr, "checksum changed\n"); return 70; }
    }
    qsort(rates, repeat, sizeof(double), cmp_double);
    printf("{\"buildSeconds\":%.6f,\"structureBytes\":%zu,\"lookupsPerSecond\":%.0f,\"checksum\":%llu}\n",
           build, ((size_t)1 << 24) * 2 + groups * 512, rates[repeat / 2], (unsigned long long)checksum);
    return 0;
}
