/* DPDK rte_lpm (IPv4) and rte_lpm6 (IPv6) on the `packet-path bench lpm` files, single lookups,
 * EAL with --no-huge --no-pci. DPDK refuses depth 0, so a /0 route is added as its two /1 halves first. Prints the same JSON keys as the other peers. */
#include <arpa/inet.h>
#include <rte_eal.h>
#include <rte_lpm.h>
#include <rte_lpm6.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }
static int cmp_double(const void *a, const void *b) { double x = *(const double *)a, y = *(const double *)b; return (x > y) - (x < y); }

int main(int argc, char **argv) {
    /* --in-memory is refused together with --no-huge by this DPDK (22.11); -m sizes the heap instead. */
    char *eal[] = {argv[0], "--no-huge", "--no-pci", "-m", "4096", "--log-level=1", NULL};
    if (argc < 4) { fprintf(stderr, "usage: %s ROUTES LOOKUPS FAMILY [REPEAT]\n", argv[0]); return 64; }
    int family = atoi(argv[3]), repeat = argc > 4 ? atoi(argv[4]) : 7;
    if (rte_eal_init((int)(sizeof eal / sizeof *eal) - 1, eal) < 0) { fprintf(stderr, "rte_eal_init failed\n"); return 69; }
    FILE *f = fopen(argv[1], "r");
    if (!f) { perror(argv[1]); return 66; }
    size_t cap = 1 << 20, n = 0;
    char (*text)[64] = malloc(cap * 64);
    int *len = malloc(cap * sizeof(int));
    unsigned *hop = malloc(cap * sizeof(unsigned));
    char line[256], prefix[64];
    unsigned h;
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#' || sscanf(line, "%63s %u", prefix, &h) != 2) continue;
        char *slash = strchr(prefix, '/');
        if (!slash) continue;
        *slash = 0;
        if (n == cap) { cap *= 2; text = realloc(text, cap * 64); len = realloc(len, cap * sizeof(int)); hop = realloc(hop, cap * sizeof(unsigned)); }
        strcpy(text[n], prefix); len[n] = atoi(slash + 1); hop[n] = h; n++;
    }
    fclose(f);
    f = fopen(argv[2], "rb");
    fseek(f, 0, SEEK_END);
    size_t bytes = (size_t)ftell(f), width = family == 4 ? 4 : 16, keys = bytes / width;
    rewind(f);
    uint8_t *raw = malloc(bytes);
    if (fread(raw, 1, bytes, f) != bytes) return 66;
    fclose(f);
    double t0 = now(), rates[64];
    uint64_t checksum = 0;
    if (repeat > 64) repeat = 64;
    if (family == 4) {
        struct rte_lpm_config config = {.max_rules = (uint32_t)n + 16, .number_tbl8s = 1 << 16};
        struct rte_lpm *lpm = rte_lpm_create("v4", 0, &config);
        if (!lpm) { fprintf(stderr, "rte_lpm_create failed\n"); return 70; }
        for (size_t i = 0; i < n; i++) if (len[i] == 0) { rte_lpm_add(lpm, 0, 1, hop[i]); rte_lpm_add(lpm, 0x80000000u, 1, hop[i]); }
        for (size_t i = 0; i < n; i++) { struct in_addr a; if (len[i] == 0) continue; inet_pton(AF_INET, text[i], &a); rte_lpm_add(lpm, ntohl(a.s_addr), (uint8_t)len[i], hop[i]); }
        double build = now() - t0;
        uint32_t *addr = malloc(keys * 4);
        for (size_t i = 0; i < keys; i++) addr[i] = (uint32_t)raw[4 * i] << 24 | (uint32_t)raw[4 * i + 1] << 16 | (uint32_t)raw[4 * i + 2] << 8 | raw[4 * i + 3];
        for (int r = -1; r < repeat; r++) {
            uint64_t sum = 0; double s = now();
            for (size_t i = 0; i < keys; i++) { uint32_t next; if (rte_lpm_lookup(lpm, addr[i], &next) == 0) sum += next; }
            double e = now() - s;
            if (r < 0) checksum = sum; else rates[r] = keys / e;
        }
        qsort(rates, repeat, sizeof(double), cmp_double);
        printf("{\"buildSeconds\":%.6f,\"structureBytes\":null,\"lookupsPerSecond\":%.0f,\"checksum\":%llu}\n", build, rates[repeat / 2], (unsigned long long)checksum);
    } else {
        struct rte_lpm6_config config = {.max_rules = (uint32_t)n + 16, .number_tbl8s = 1 << 20};
        struct rte_lpm6 *lpm = rte_lpm6_create("v6", 0, &config);
        if (!lpm) { fprintf(stderr, "rte_lpm6_create failed\n"); return 70; }
        for (size_t i = 0; i < n; i++) if (len[i] == 0) { uint8_t a[16] = {0}; rte_lpm6_add(lpm, a, 1, hop[i]); a[0] = 0x80; rte_lpm6_add(lpm, a, 1, hop[i]); }
        for (size_t i = 0; i < n; i++) { uint8_t a[16]; if (len[i] == 0) continue; inet_pton(AF_INET6, text[i], a); rte_lpm6_add(lpm, a, (uint8_t)len[i], hop[i]); }
        double build = now() - t0;
        for (int r = -1; r < repeat; r++) {
            uint64_t sum = 0; double s = now();
            for (size_t i = 0; i < keys; i++) { uint32_t next; if (rte_lpm6_lookup(lpm, raw + 16 * i, &next) == 0) sum += next; }
            double e = now() - s;
            if (r < 0) checksum = sum; else rates[r] = keys / e;
        }
        qsort(rates, repeat, sizeof(double), cmp_double);
        printf("{\"buildSeconds\":%.6f,\"structureBytes\":null,\"lookupsPerSecond\":%.0f,\"checksum\":%llu}\n", build, rates[repeat / 2], (unsigned long long)checksum);
    }
    rte_eal_cleanup();
    return 0;
}
