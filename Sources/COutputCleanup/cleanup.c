#include "COutputCleanup.h"

#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

// Slots hold strdup'd paths. A path is never freed: a handler running on another thread may be
// reading it while its slot is cleared, and a run registers a handful of files.
#define PP_CLEANUP_SLOTS 256
static _Atomic(char *) slots[PP_CLEANUP_SLOTS];
static atomic_int installed;
static int closed_at_start;

static void remove_all(void) {
    for (int i = 0; i < PP_CLEANUP_SLOTS; i++) {
        char *path = atomic_load(&slots[i]);
        if (path != NULL) unlink(path);
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
    char *copy = strdup(path);
    if (copy == NULL) return -1;
    for (int i = 0; i < PP_CLEANUP_SLOTS; i++) {
        char *expected = NULL;
        if (atomic_compare_exchange_strong(&slots[i], &expected, copy)) return i;
    }
    free(copy);
    return -1;
}

void pp_cleanup_unregister(int slot) {
    if (slot >= 0 && slot < PP_CLEANUP_SLOTS) atomic_store(&slots[slot], NULL);
}

void pp_cleanup_remove_all(void) { remove_all(); }

void pp_cleanup_die_of_signal(int signal_number) {
    remove_all();
    signal(signal_number, SIG_DFL);
    raise(signal_number);
    _exit(128 + signal_number);  // raise returned: the signal is blocked in this thread
}
