#ifndef PACKET_PATH_CPCAP_SHIM_H
#define PACKET_PATH_CPCAP_SHIM_H
// libpcap for packet-path: only Sources/PacketSources/LibpcapCalls.swift imports this module.
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>  // free: open_memstream's buffer
#if defined(__GLIBC__)
#include <stdio_ext.h>  // __fsetlocking: the reading thread is a file's only user
#endif
#endif
