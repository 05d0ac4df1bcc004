#ifndef LOCKSTEP_CPCAP_SHIM_H
#define LOCKSTEP_CPCAP_SHIM_H
#include <pcap/pcap.h>
#endif
