#include "COutputCleanup.h"

#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

// Each registration takes the next slot and never gives it back, so a handler running on another
// thread never reads a path while it is rewritten: a slot's path is written once, before the slot
// is marked live. A run registers a handful of files (one per output); the table is static
// (untouched pages cost nothing) and nothing is allocated.
#define PP_CLEANUP_SLOTS 256
#define PP_CLEANUP_PATH 4096
static char paths[PP_CLEANUP_SLOTS][PP_CLEANUP_PATH];
static atomic_int live[PP_CLEANUP_SLOTS];
static atomic_int next_slot;
static atomic_int installed;
static int closed_at_start;

static void remove_all(void) {
    for (int i = 0; i < PP_CLEANUP_SLOTS; i++) {
        if (atomic_load(&live[i])) unlink(paths[i]);
    }
}

static void on_signal(int signal_number) {
    remove_all();
    signal(signal_number, SIG_DFL);
    raise(signal_number);
}

void pp_cleanup_install(void) {
    if (atomic_exchange(&installed, 1)) return;
    for (int descriptor = 0; descriptor <= 2; descriptor++) {
        if (fcntl(descriptor, F_GETFD) != -1) continue;
        closed_at_start |= 1 << descriptor;
        int placeholder = open("/dev/null", O_RDWR);  // the lowest free number: this one
        if (placeholder != descriptor && placeholder >= 0) close(placeholder);
    }
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_signal;
    sigfillset(&action.sa_mask);  // no second signal interrupts the removal
    int fatal[] = {SIGINT, SIGTERM, SIGHUP};
    for (unsigned i = 0; i < sizeof fatal / sizeof fatal[0]; i++) {
        struct sigaction previous;
        // A signal ignored by whoever started us (nohup) stays ignored.
        if (sigaction(fatal[i], NULL, &previous) == 0 && previous.sa_handler == SIG_IGN) continue;
        sigaction(fatal[i], &action, NULL);
    }
    signal(SIGPIPE, SIG_IGN);
    signal(SIGXFSZ, SIG_IGN);
    atexit(remove_all);
}

int pp_closed_standard_descriptors(void) { return closed_at_start; }

int pp_cleanup_register(const char *path) {
    size_t length = strlen(path);
    if (length >= PP_CLEANUP_PATH) return -1;
    int slot = atomic_fetch_add(&next_slot, 1);
    if (slot >= PP_CLEANUP_SLOTS) return -1;
    memcpy(paths[slot], path, length + 1);
    atomic_store(&live[slot], 1);
    return slot;
}

void pp_cleanup_unregister(int slot) {
    if (slot >= 0 && slot < PP_CLEANUP_SLOTS) atomic_store(&live[slot], 0);
}

void pp_cleanup_remove_all(void) { remove_all(); }

void pp_cleanup_die_of_signal(int signal_number) {
    remove_all();
    signal(signal_number, SIG_DFL);
    raise(signal_number);
    _exit(128 + signal_number);  // raise returned: the signal is blocked in this thread
}
