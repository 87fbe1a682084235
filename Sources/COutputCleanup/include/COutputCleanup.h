#ifndef PACKET_PATH_COUTPUTCLEANUP_H
#define PACKET_PATH_COUTPUTCLEANUP_H
// Temporary output files removed on every way out: a normal exit, SIGINT, SIGTERM and SIGHUP
// (docs/cli.md, "Output files"). Signal handlers may call only async-signal-safe functions, so
// the registry and the handler are C: a fixed table of paths read with atomic loads and
// removed with unlink(2). Only Sources/OutputFiles imports this module.

/// Installs the handlers for SIGINT, SIGTERM and SIGHUP (remove every registered file, then die of
/// the same signal with its default action, so the shell sees 128+n and loops stop) and an atexit
/// hook that removes what is still registered. SIGPIPE and SIGXFSZ are ignored, so a closed pipe
/// and a file-size limit come back from write(2) as EPIPE and EFBIG and are reported.
/// Descriptors 0, 1 and 2 that were closed when the process started are opened on /dev/null, so
/// no file packet-path opens later can take their number (a closed standard output would
/// otherwise receive another output's bytes); pp_closed_standard_descriptors() says which.
/// Idempotent.
void pp_cleanup_install(void);

/// Bit n set: descriptor n (0, 1 or 2) was closed when pp_cleanup_install() first ran.
int pp_closed_standard_descriptors(void);

/// Registers `path` for removal; returns its slot, or -1 when the table is full (256 files a
/// run) or the path is too long (the file is then removed on the normal paths only).
int pp_cleanup_register(const char *path);

/// Forgets slot `slot` (after the file was renamed into place or removed).
void pp_cleanup_unregister(int slot);

/// Removes every registered file now (used before dying of SIGPIPE).
void pp_cleanup_remove_all(void);

/// Dies of `signal_number` with its default action, after removing every registered file.
void pp_cleanup_die_of_signal(int signal_number) __attribute__((noreturn));

#endif
