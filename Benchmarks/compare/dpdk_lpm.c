/* DPDK on the `packet-path bench lpm` files, EAL with --no-huge --no-pci:
 *   KIND lpm: rte_lpm (IPv4) and rte_lpm6 (IPv6), one lookup at a time;
 *   KIND fib: rte_fib (DIR24_8) and rte_fib6 (TRIE), rte_fib*_lookup_bulk in bursts of 64, the only
 *             lookup they offer. rte_fib takes 2-byte next hops when every next hop fits in 15 bits
 *             (its tbl8 groups are then limited to 32,767), else 4; rte_fib6 takes 4-byte next hops,
 *             because a 200k IPv6 table needs more than 32,767 groups.
 * DPDK refuses depth 0, so a /0 route is added as its two /1 halves first. A miss counts 0 (rte_fib's
 * default next hop is 0). Prints the same JSON keys as the other peers. */
#include <arpa/inet.h>
#include <rte_eal.h>
#include <rte_fib.h>
#include <rte_fib6.h>
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
    if (argc < 4) { fprintf(stderr, "usage: %s ROUTES LOOKUPS FAMILY [REPEAT] [lpm|fib]\n", argv[0]); return 64; }
    int family = atoi(argv[3]), repeat = argc > 4 ? atoi(argv[4]) : 7;
    int fib = argc > 5 && strcmp(argv[5], "fib") == 0;
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
    unsigned max_hop = 0;
    for (size_t i = 0; i < n; i++) if (hop[i] > max_hop) max_hop = hop[i];
    if (fib && family == 4) {
        struct rte_fib_conf config = {.type = RTE_FIB_DIR24_8, .default_nh = 0, .max_routes = (int)n + 16,
                                      .dir24_8 = {.nh_sz = max_hop < 32768 ? RTE_FIB_DIR24_8_2B : RTE_FIB_DIR24_8_4B,
                                                  .num_tbl8 = max_hop < 32768 ? 32767 : 1 << 16}};
        struct rte_fib *table = rte_fib_create("fib4", -1, &config);
        if (!table) { fprintf(stderr, "rte_fib_create failed\n"); return 70; }
        for (size_t i = 0; i < n; i++) if (len[i] == 0) { rte_fib_add(table, 0, 1, hop[i]); rte_fib_add(table, 0x80000000u, 1, hop[i]); }
        for (size_t i = 0; i < n; i++) { struct in_addr a; if (len[i] == 0) continue; inet_pton(AF_INET, text[i], &a); rte_fib_add(table, ntohl(a.s_addr), (uint8_t)len[i], hop[i]); }
        double build = now() - t0;
        uint32_t *addr = malloc(keys * 4);
        for (size_t i = 0; i < keys; i++) addr[i] = (uint32_t)raw[4 * i] << 24 | (uint32_t)raw[4 * i + 1] << 16 | (uint32_t)raw[4 * i + 2] << 8 | raw[4 * i + 3];
        uint64_t next[64];
        for (int r = -1; r < repeat; r++) {
            uint64_t sum = 0; double s = now();
            for (size_t i = 0; i < keys; i += 64) {
                int burst = keys - i < 64 ? (int)(keys - i) : 64;
                rte_fib_lookup_bulk(table, addr + i, next, burst);
                for (int j = 0; j < burst; j++) sum += next[j];
            }
            double e = now() - s;
            if (r < 0) checksum = sum; else rates[r] = keys / e;
        }
        qsort(rates, repeat, sizeof(double), cmp_double);
        printf("{\"buildSeconds\":%.6f,\"structureBytes\":null,\"lookupsPerSecond\":%.0f,\"checksum\":%llu}\n", build, rates[repeat / 2], (unsigned long long)checksum);
    } else if (fib) {
        struct rte_fib6_conf config = {.type = RTE_FIB6_TRIE, .default_nh = 0, .max_routes = (int)n + 16,
                                       .trie = {.nh_sz = RTE_FIB6_TRIE_4B, .num_tbl8 = 1 << 20}};
        struct rte_fib6 *table = rte_fib6_create("fib6", -1, &config);
        if (!table) { fprintf(stderr, "rte_fib6_create failed\n"); return 70; }
        for (size_t i = 0; i < n; i++) if (len[i] == 0) { uint8_t a[16] = {0}; rte_fib6_add(table, a, 1, hop[i]); a[0] = 0x80; rte_fib6_add(table, a, 1, hop[i]); }
        for (size_t i = 0; i < n; i++) { uint8_t a[16]; if (len[i] == 0) continue; inet_pton(AF_INET6, text[i], a); rte_fib6_add(table, a, (uint8_t)len[i], hop[i]); }
        double build = now() - t0;
        uint64_t next[64];
        for (int r = -1; r < repeat; r++) {
            uint64_t sum = 0; double s = now();
            for (size_t i = 0; i < keys; i += 64) {
                int burst = keys - i < 64 ? (int)(keys - i) : 64;
                rte_fib6_lookup_bulk(table, (uint8_t (*)[16])(raw + 16 * i), next, burst);
                for (int j = 0; j < burst; j++) sum += next[j];
            }
            double e = now() - s;
            if (r < 0) checksum = sum; else rates[r] = keys / e;
        }
        qsort(rates, repeat, sizeof(double), cmp_double);
        printf("{\"buildSeconds\":%.6f,\"structureBytes\":null,\"lookupsPerSecond\":%.0f,\"checksum\":%llu}\n", build, rates[repeat / 2], (unsigned long long)checksum);
    } else if (family == 4) {
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
